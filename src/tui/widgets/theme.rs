//! Styles. With `NO_COLOR` set only modifiers (bold, underline, reverse,
//! crossed out) remain, and every state stays tellable apart.

use crate::tui::document::LinkState;
use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Theme {
        Theme { color: !no_color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::White).add_modifier(Modifier::BOLD)
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        self.fg(Color::Gray)
            .add_modifier(Modifier::BOLD | Modifier::ITALIC)
    }

    pub fn unread(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn link(&self, state: LinkState) -> Style {
        match state {
            LinkState::Resolved => self.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            LinkState::Ambiguous => self
                .fg(Color::Magenta)
                .add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            LinkState::Broken => self.fg(Color::Red).add_modifier(Modifier::CROSSED_OUT),
        }
    }

    pub fn selected_link(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn matched(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    /// The match `n`/`N` stand on: stronger than the others, also without
    /// colour.
    pub fn current_match(&self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::LightRed)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}
