//! The headline list: every article with its date or source, a mark for
//! read ones and the open one highlighted.

use super::theme::Theme;
use super::{focused, pane, truncate};
use crate::tui::app::{App, Pane};
use crate::tui::text::EN;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let is_focused = focused(app, Pane::Headlines);
    let count = if app.list.len() == app.lib.len() {
        format!("{} ({})", EN.headlines, app.lib.len())
    } else {
        format!("{} ({}/{})", EN.headlines, app.list.len(), app.lib.len())
    };
    let inner = pane(frame, area, &count, is_focused, theme);
    if app.lib.is_empty() {
        let hint = Paragraph::new(EN.no_articles)
            .style(theme.dim())
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(hint, inner);
        return;
    }
    if app.list.is_empty() {
        let cancel = app.keymap.label(crate::tui::action::Action::Cancel);
        let hint = Paragraph::new(EN.no_title_matches(&app.filter, &cancel))
            .style(theme.dim())
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(hint, inner);
        return;
    }
    let width = usize::from(inner.width);
    let open = app.open.map(|v| v.id);
    let rows = app
        .list
        .iter()
        .enumerate()
        .skip(app.headlines.offset)
        .take(usize::from(inner.height));
    let lines: Vec<Line> = rows
        .map(|(i, &id)| {
            let a = app.lib.article(id);
            let mark = if open == Some(id) {
                "\u{25b6} "
            } else if app.read.contains(&id) {
                "\u{2713} "
            } else {
                "  "
            };
            let by = a.byline().unwrap_or("");
            // The byline only when the title keeps at least 12 columns.
            let by_w = by.width() + 1;
            let show_by = !by.is_empty() && width >= 2 + 12 + by_w;
            let title_w = width.saturating_sub(2 + if show_by { by_w } else { 0 });
            let title = truncate(&a.title, title_w);
            let pad = title_w.saturating_sub(title.width());
            let title_style = if app.read.contains(&id) {
                ratatui::style::Style::new()
            } else {
                theme.unread()
            };
            let mut spans = vec![Span::raw(mark), Span::styled(title, title_style)];
            if show_by {
                spans.push(Span::raw(" ".repeat(pad + 1)));
                spans.push(Span::styled(by.to_owned(), theme.dim()));
            }
            let mut line = Line::from(spans);
            if i == app.headlines.selected {
                line = line.patch_style(theme.selected(is_focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
