//! The status bar: a message or key hints on the left, the position on the
//! right (article i of N, percent read, number of links).

use super::theme::Theme;
use super::truncate;
use crate::tui::action::Action;
use crate::tui::app::{App, Level};
use crate::tui::text::EN;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let right = position(app);
    let width = usize::from(area.width);
    let left_w = width.saturating_sub(right.width() + 1);
    let (left, style) = match &app.status {
        Some(s) => (s.text.clone(), if s.level == Level::Warn { theme.warn() } else { ratatui::style::Style::new() }),
        None => (hints(app), theme.dim()),
    };
    let left = truncate(&left, left_w);
    let pad = width.saturating_sub(left.width() + right.width());
    let line = Line::from(vec![
        Span::styled(left, style),
        Span::raw(" ".repeat(pad)),
        Span::styled(truncate(&right, width), theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn hints(app: &App) -> String {
    let k = |a: Action| app.keymap.keys(a).first().map(|k| k.label()).unwrap_or_default();
    [
        (Action::Search, "search"),
        (Action::NextLink, "link"),
        (Action::Open, "open"),
        (Action::Back, "back"),
        (Action::Help, "help"),
        (Action::Quit, "quit"),
    ]
    .iter()
    .map(|&(a, what)| format!("{} {what}", k(a)))
    .collect::<Vec<_>>()
    .join("  ")
}

fn position(app: &App) -> String {
    let n = app.lib.len();
    let Some(v) = app.open else {
        return format!("{n} articles");
    };
    let links = app.lib.graph.outgoing[v.id.index()].len();
    let height = app.reader_text_area().map_or(1, |r| usize::from(r.height));
    let total = app.cached_document().map_or(1, |d| d.len()).max(1);
    let pct = ((v.scroll + height).min(total) * 100) / total;
    format!("{}/{n} \u{b7} {pct}% \u{b7} {links} {}", v.id.index() + 1, EN.links_word)
}
