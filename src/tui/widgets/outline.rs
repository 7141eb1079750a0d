//! The outline of the open article: its subheadings, its links with their
//! state, and the articles that link to it.

use super::theme::Theme;
use super::{focused, pane, truncate};
use crate::core::links::Resolution;
use crate::tui::app::{App, OutlineEntry, Pane};
use crate::tui::document::LinkState;
use crate::tui::text::EN;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let is_focused = focused(app, Pane::Outline);
    let inner = pane(frame, area, EN.outline, is_focused, theme);
    let Some(visit) = app.open else { return };
    let article = app.lib.full(visit.id);
    let outgoing = &app.lib.graph.outgoing[visit.id.index()];
    let width = usize::from(inner.width);
    let entries = app.outline_entries();
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(app.outline.offset)
        .take(usize::from(inner.height))
        .map(|(i, e)| {
            let mut line = match *e {
                OutlineEntry::Header(name) => Line::styled(truncate(name, width), theme.header()),
                OutlineEntry::Empty => {
                    Line::styled(truncate(&format!("  {}", EN.none), width), theme.dim())
                }
                OutlineEntry::Heading(b) => {
                    let text = article.blocks.get(b).map_or("", |b| b.text());
                    Line::raw(truncate(&format!("  {text}"), width))
                }
                OutlineEntry::Link(o) => {
                    let out = &outgoing[o];
                    let state = LinkState::of(&out.resolution);
                    let name = match &out.resolution {
                        Resolution::Resolved(id) => app.lib.article(*id).title.clone(),
                        _ => out.target.clone().unwrap_or_else(|| "\u{2014}".into()),
                    };
                    Line::from(vec![
                        Span::raw("  "),
                        Span::styled(
                            truncate(&format!("{}{name}", state.glyph()), width.saturating_sub(2)),
                            theme.link(state),
                        ),
                    ])
                }
                OutlineEntry::Backlink(id) => Line::raw(truncate(
                    &format!("  \u{2190} {}", app.lib.article(id).title),
                    width,
                )),
            };
            if i == app.outline.selected && e.selectable() {
                line = line.patch_style(theme.selected(is_focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
