//! The reader: the open article's lines from the cached layout, only the
//! rows in view, with links drawn by state and the selected one reversed.

use super::theme::Theme;
use super::{focused, pane_title, truncate};
use crate::tui::app::{App, Pane};
use crate::tui::document::{Document, LineKind};
use crate::tui::text::EN;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use std::rc::Rc;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let is_focused = focused(app, Pane::Reader);
    let title = app
        .open
        .map(|v| truncate(&app.lib.article(v.id).title, usize::from(area.width.saturating_sub(8))))
        .unwrap_or_default();
    let block = Block::bordered().title(pane_title(&title, is_focused)).border_style(theme.border(is_focused));
    frame.render_widget(block, area);
    let Some(text_area) = app.reader_text_area() else { return };
    let Some(visit) = app.open else {
        frame.render_widget(Paragraph::new(EN.reader_empty).style(theme.dim()), text_area);
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
    let lines: Vec<Line> = doc
        .lines
        .iter()
        .skip(visit.scroll)
        .take(usize::from(text_area.height))
        .map(|l| {
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
            Line::styled(l.text.as_str(), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
}
