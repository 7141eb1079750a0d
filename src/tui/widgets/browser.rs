//! The file browser under the path prompt: the folder being typed, its
//! subfolders and the article files in it.

use super::theme::Theme;
use super::{pane, truncate};
use crate::tui::app::App;
use crate::tui::text::EN;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(b) = &app.browser else { return };
    let title = format!("Open \u{b7} {}", b.dir.display());
    let inner = pane(frame, area, &title, true, theme);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(e) = &b.error {
        lines.push(Line::styled(truncate(e, width), theme.warn()));
    } else if b.entries.is_empty() {
        lines.push(Line::styled(EN.nothing_to_open, theme.dim()));
    }
    for (i, e) in b
        .entries
        .iter()
        .enumerate()
        .skip(b.cursor.offset)
        .take(usize::from(inner.height))
    {
        let label = if e.name == "./" {
            format!("./  ({})", EN.open_this_folder)
        } else {
            e.name.clone()
        };
        let style = if e.is_dir {
            theme.heading()
        } else {
            theme.text()
        };
        let mut line = Line::styled(truncate(&format!("  {label}"), width), style);
        if i == b.cursor.selected {
            line = line.patch_style(theme.selected(true));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
