//! Pure drawing: each widget reads the app and draws into the frame; none
//! changes state. `view` lays the panes out as `App::areas` says.

pub mod browser;
pub mod headlines;
pub mod help;
pub mod outline;
pub mod reader;
pub mod results;
pub mod status;
pub mod theme;

use super::app::{App, Pane, Popup};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::Frame;
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

pub fn view(frame: &mut Frame, app: &App) {
    let theme = theme::Theme::new(&app.palette, app.no_color);
    let areas = app.areas();
    if app.search.is_some() || app.browser.is_some() {
        let main = app.overlay_area();
        if app.browser.is_some() {
            browser::draw(frame, main, app, &theme);
        } else {
            results::draw(frame, main, app, &theme);
        }
        status::draw(frame, areas.status, app, &theme);
        return;
    }
    if let Some(r) = areas.headlines {
        headlines::draw(frame, r, app, &theme);
    }
    if let Some(r) = areas.outline {
        outline::draw(frame, r, app, &theme);
    }
    if let Some(r) = areas.reader {
        reader::draw(frame, r, app, &theme);
    }
    status::draw(frame, areas.status, app, &theme);
    match &app.popup {
        Some(Popup::Help { scroll }) => help::draw(frame, app, *scroll, &theme),
        Some(Popup::Choose {
            title,
            ids,
            selected,
        }) => help::draw_choice(frame, app, title, ids, *selected, &theme),
        None => {}
    }
}

/// The pane's border title, marked when it has focus.
fn pane_title(name: &str, focused: bool) -> String {
    if focused {
        format!(" {name} \u{25c6} ")
    } else {
        format!(" {name} ")
    }
}

/// Draws a pane's border with its title (marked when it has the focus)
/// and gives the area inside.
pub fn pane(
    frame: &mut Frame,
    area: Rect,
    name: &str,
    focused: bool,
    theme: &theme::Theme,
) -> Rect {
    let block = ratatui::widgets::Block::bordered()
        .title(pane_title(name, focused))
        .border_style(theme.border(focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

pub fn focused(app: &App, pane: Pane) -> bool {
    app.focus == pane
}

/// Cuts `s` to `width` terminal columns, ending with "…" when cut.
pub fn truncate(s: &str, width: usize) -> String {
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('\u{2026}');
    out
}

/// `text` as spans, the byte `ranges` in `hl` and the rest in `base`.
/// Ranges out of bounds or off character boundaries are skipped.
pub fn highlighted(
    text: &str,
    ranges: &[Range<usize>],
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            spans.push(Span::styled(text[at..r.start].to_owned(), base));
        }
        spans.push(Span::styled(text[r.start..r.end].to_owned(), hl));
        at = r.end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_owned(), base));
    }
    spans
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
