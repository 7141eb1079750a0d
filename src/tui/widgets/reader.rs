//! The reader: the open article's lines from the cached layout, only the
//! rows in view, with links drawn by state and the selected one reversed.

use super::theme::Theme;
use super::{focused, pane, truncate};
use crate::tui::app::{App, Pane};
use crate::tui::document::{Document, LineKind};
use crate::tui::text::EN;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::rc::Rc;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let is_focused = focused(app, Pane::Reader);
    let title = app
        .open
        .map(|v| {
            truncate(
                &app.lib.article(v.id).title,
                usize::from(area.width.saturating_sub(8)),
            )
        })
        .unwrap_or_else(|| EN.reader.to_owned());
    pane(frame, area, &title, is_focused, theme);
    let Some(text_area) = app.reader_text_area() else {
        return;
    };
    let Some(visit) = app.open else {
        frame.render_widget(
            Paragraph::new(EN.reader_empty).style(theme.dim()),
            text_area,
        );
        return;
    };
    let doc = app.cached_document().unwrap_or_else(|| {
        // Only before the first update has sized the app; never on a hot path.
        Rc::new(Document::build(
            app.lib.article(visit.id),
            &app.lib.graph.outgoing[visit.id.index()],
            text_area.width,
        ))
    });
    let find = app
        .find
        .as_ref()
        .filter(|f| f.computed_for.is_some_and(|(id, _)| id == visit.id));
    let lines: Vec<Line> = doc
        .lines
        .iter()
        .enumerate()
        .skip(visit.scroll)
        .take(usize::from(text_area.height))
        .map(|(n, l)| {
            let style = match l.kind {
                LineKind::Title => theme.title(),
                LineKind::Meta => theme.dim(),
                LineKind::Heading => theme.heading(),
                LineKind::Blank | LineKind::Body => Style::new(),
                LineKind::Link { ordinal, state, .. } => {
                    if visit.link == Some(ordinal) {
                        theme.selected_link()
                    } else {
                        theme.link(state)
                    }
                }
            };
            let Some(find) = find else {
                return Line::styled(l.text.as_str(), style);
            };
            // Matches are sorted by line: find this line's slice.
            let from = find.matches.partition_point(|(ln, _)| *ln < n);
            let to = find.matches.partition_point(|(ln, _)| *ln <= n);
            if from == to {
                return Line::styled(l.text.as_str(), style);
            }
            let mut spans = Vec::new();
            let mut at = 0;
            for (i, (_, r)) in find.matches[from..to].iter().enumerate() {
                let t = &l.text;
                if r.start < at
                    || r.end > t.len()
                    || !t.is_char_boundary(r.start)
                    || !t.is_char_boundary(r.end)
                {
                    continue;
                }
                if r.start > at {
                    spans.push(Span::styled(&t[at..r.start], style));
                }
                let hl = if find.current == Some(from + i) {
                    theme.current_match()
                } else {
                    theme.matched()
                };
                spans.push(Span::styled(&t[r.start..r.end], hl));
                at = r.end;
            }
            spans.push(Span::styled(&l.text[at..], style));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
}
