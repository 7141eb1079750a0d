//! The library search results, shown in place of the panes while the
//! search prompt is open: title, date or source, and a snippet, with the
//! matched words highlighted.

use super::theme::Theme;
use super::{highlighted, pane, truncate};
use crate::tui::app::App;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Each hit takes a title line, a snippet line and a blank line.
pub const ROWS_PER_HIT: usize = 3;

/// How many hits fit on screen: the page size for the cursor.
pub fn rows_per_page(app: &App) -> usize {
    let h = usize::from(app.size.height.saturating_sub(3));
    (h / ROWS_PER_HIT).max(1)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(view) = &app.search else { return };
    let title = match app.index_progress() {
        Some(p) => format!("Search \u{b7} building the index {p}%"),
        None if view.query.is_empty() => "Search".to_owned(),
        None => format!("Search \u{b7} {} found", view.total),
    };
    let inner = pane(frame, area, &title, true, theme);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    if !view.query.is_empty() && view.hits.is_empty() && app.index_progress().is_none() {
        lines.push(Line::styled("No article matches.", theme.dim()));
    }
    for (i, hit) in view
        .hits
        .iter()
        .enumerate()
        .skip(view.cursor.offset)
        .take(rows_per_page(app))
    {
        let a = app.lib.article(hit.id);
        let selected = i == view.cursor.selected;
        let marker = if selected { "\u{25b6} " } else { "  " };
        let by = a
            .byline()
            .map(|b| format!("  \u{b7} {b}"))
            .unwrap_or_default();
        let title = truncate(&a.title, width.saturating_sub(2 + by.chars().count()));
        let ranges = view.query.matches_in_text(&title);
        let mut spans = vec![Span::raw(marker)];
        spans.extend(highlighted(&title, &ranges, theme.title(), theme.matched()));
        spans.push(Span::styled(by, theme.dim()));
        let mut line = Line::from(spans);
        if selected {
            line = line.patch_style(theme.selected(true));
        }
        lines.push(line);
        let snippet = truncate(&hit.snippet, width.saturating_sub(2));
        let ranges: Vec<_> = hit
            .snippet_highlights
            .iter()
            .filter(|r| r.end <= snippet.len())
            .cloned()
            .collect();
        let mut spans = vec![Span::raw("  ")];
        spans.extend(highlighted(&snippet, &ranges, theme.dim(), theme.matched()));
        lines.push(Line::from(spans));
        lines.push(Line::raw(""));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
