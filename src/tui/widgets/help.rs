//! Popups: the help screen, generated from the keymap so it cannot drift
//! from the keys, and the chooser for an ambiguous link.

use super::theme::Theme;
use super::{centered, truncate};
use crate::core::article::ArticleId;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::text::EN;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// One line per action: its keys, then what it does.
pub fn lines(keymap: &Keymap) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Action::ALL
        .iter()
        .map(|&a| (keymap.label(a), EN.action(a)))
        .collect();
    out.push((EN.prompt_keys_label.to_owned(), EN.prompt_keys));
    out
}

pub fn line_count(keymap: &Keymap) -> usize {
    lines(keymap).len()
}

pub fn draw(frame: &mut Frame, app: &App, scroll: usize, theme: &Theme) {
    let area = centered(frame.area(), 90, 40);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {} ", EN.help_title))
        .title_bottom(format!(" {} ", EN.help_footer))
        .border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key_w = 22.min(usize::from(inner.width) / 2);
    let rows: Vec<Line> = lines(&app.keymap)
        .into_iter()
        .skip(scroll)
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(
                    format!("{:<key_w$} ", truncate(&keys, key_w)),
                    theme.title(),
                ),
                Span::raw(what),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);
}

pub fn draw_choice(
    frame: &mut Frame,
    app: &App,
    title: &str,
    ids: &[ArticleId],
    selected: usize,
    theme: &Theme,
) {
    let height = (ids.len() as u16)
        .saturating_add(2)
        .min(frame.area().height);
    let area = centered(frame.area(), 80, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let rows: Vec<Line> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let a = app.lib.article(id);
            let text = match a.byline() {
                Some(by) => format!("{} \u{b7} {by}", a.title),
                None => a.title.clone(),
            };
            let line = Line::raw(truncate(&text, width));
            if i == selected {
                line.patch_style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);
}
