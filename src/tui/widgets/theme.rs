//! Styles from the configured palette (a dark and a light theme are built
//! in; `[colors]` in config.toml changes single slots). With `NO_COLOR` set
//! only modifiers (bold, underline, reverse, crossed out) remain, and every
//! state stays tellable apart.

use crate::core::config::{Color as C, Palette};
use crate::tui::document::LinkState;
use ratatui::style::{Color, Modifier, Style};

pub struct Theme<'a> {
    palette: &'a Palette,
    color: bool,
}

fn color(c: C) -> Color {
    match c {
        C::Reset => Color::Reset,
        C::Black => Color::Black,
        C::Red => Color::Red,
        C::Green => Color::Green,
        C::Yellow => Color::Yellow,
        C::Blue => Color::Blue,
        C::Magenta => Color::Magenta,
        C::Cyan => Color::Cyan,
        C::Gray => Color::Gray,
        C::DarkGray => Color::DarkGray,
        C::LightRed => Color::LightRed,
        C::LightGreen => Color::LightGreen,
        C::LightYellow => Color::LightYellow,
        C::LightBlue => Color::LightBlue,
        C::LightMagenta => Color::LightMagenta,
        C::LightCyan => Color::LightCyan,
        C::White => Color::White,
        C::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

impl<'a> Theme<'a> {
    pub fn new(palette: &'a Palette, no_color: bool) -> Theme<'a> {
        Theme {
            palette,
            color: !no_color,
        }
    }

    fn fg(&self, c: C) -> Style {
        if self.color {
            Style::new().fg(color(c))
        } else {
            Style::new()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.palette.border_focused)
                .add_modifier(Modifier::BOLD)
        } else {
            self.fg(self.palette.border)
        }
    }

    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn text(&self) -> Style {
        self.fg(self.palette.text)
    }

    pub fn dim(&self) -> Style {
        self.fg(self.palette.dim)
    }

    pub fn title(&self) -> Style {
        self.fg(self.palette.title).add_modifier(Modifier::BOLD)
    }

    pub fn heading(&self) -> Style {
        self.fg(self.palette.heading).add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        self.fg(self.palette.header)
            .add_modifier(Modifier::BOLD | Modifier::ITALIC)
    }

    pub fn unread(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn link(&self, state: LinkState) -> Style {
        match state {
            LinkState::Resolved => self
                .fg(self.palette.link)
                .add_modifier(Modifier::UNDERLINED),
            LinkState::Ambiguous => self
                .fg(self.palette.link_ambiguous)
                .add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            LinkState::Broken => self
                .fg(self.palette.link_broken)
                .add_modifier(Modifier::CROSSED_OUT),
        }
    }

    pub fn selected_link(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn matched(&self) -> Style {
        if self.color {
            Style::new()
                .bg(color(self.palette.match_bg))
                .fg(color(self.palette.match_fg))
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    /// The match `n`/`N` stand on: stronger than the others, also without
    /// colour.
    pub fn current_match(&self) -> Style {
        if self.color {
            Style::new()
                .bg(color(self.palette.warn))
                .fg(color(self.palette.match_fg))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn warn(&self) -> Style {
        self.fg(self.palette.warn).add_modifier(Modifier::BOLD)
    }
}
