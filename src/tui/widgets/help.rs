//! Popups: the help screen, generated from the keymap so it cannot drift
//! from the keys, and the chooser for an ambiguous link.

use super::theme::Theme;
use super::truncate;
use crate::core::article::ArticleId;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{Key, Keymap};
use crate::tui::text::EN;
use crossterm::event::KeyModifiers;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// One entry per action: its keys, then what it does.
pub fn lines(keymap: &Keymap) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Action::ALL
        .iter()
        .map(|&a| (keymap.label(a), EN.action(a)))
        .collect();
    out.push((EN.prompt_keys_label.to_owned(), EN.prompt_keys));
    out
}

/// The width of the keys column inside a help box `inner_width` wide: the
/// longest keys, up to half the box.
fn key_width(keymap: &Keymap, inner_width: u16) -> usize {
    let longest = lines(keymap)
        .iter()
        .map(|(keys, _)| keys.width())
        .max()
        .unwrap_or(0);
    longest.min(usize::from(inner_width) / 2)
}

/// The help as screen rows for a box `inner_width` wide: the keys, then
/// what they do, wrapped under itself on a narrow screen.
pub fn rows(keymap: &Keymap, inner_width: u16) -> Vec<(String, String)> {
    let key_w = key_width(keymap, inner_width);
    let what_w = usize::from(inner_width).saturating_sub(key_w + 1).max(1);
    let mut out = Vec::new();
    for (keys, what) in lines(keymap) {
        let mut keys = Some(keys);
        for part in textwrap::wrap(what, what_w) {
            out.push((keys.take().unwrap_or_default(), part.into_owned()));
        }
    }
    out
}

/// The furthest the help scrolls: its last row at the bottom of the box.
pub fn max_scroll(app: &App) -> usize {
    let Some(area) = app.popup_area() else {
        return 0;
    };
    let inner_h = usize::from(area.height.saturating_sub(2));
    rows(&app.keymap, area.width.saturating_sub(2))
        .len()
        .saturating_sub(inner_h)
}

pub fn draw(frame: &mut Frame, app: &App, scroll: usize, theme: &Theme) {
    let Some(area) = app.popup_area() else { return };
    frame.render_widget(Clear, area);
    // The keys that close it, as the keymap has them now.
    let closes = [Action::Cancel, Action::Quit, Action::Help]
        .iter()
        .filter_map(|&a| {
            // Ctrl-C quits even here.
            let closes = |k: &&Key| a != Action::Quit || !k.mods.contains(KeyModifiers::CONTROL);
            app.keymap.keys(a).iter().find(closes).map(Key::label)
        })
        .collect::<Vec<_>>()
        .join("/");
    let inner_h = usize::from(area.height.saturating_sub(2));
    let rows = rows(&app.keymap, area.width.saturating_sub(2));
    let more = if scroll + inner_h < rows.len() {
        "\u{2193} more \u{b7} "
    } else {
        ""
    };
    let footer = format!(" {more}{closes} {} ", EN.help_footer);
    let block = Block::bordered()
        .title(format!(" {} ", EN.help_title))
        .title_bottom(footer)
        .border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key_w = key_width(&app.keymap, inner.width);
    let rows: Vec<Line> = rows
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

/// The first entry a chooser `rows` high shows: the top of the list, or
/// as far down as keeps the selected entry in view.
pub fn choice_offset(selected: usize, rows: u16) -> usize {
    (selected + 1).saturating_sub(usize::from(rows).max(1))
}

pub fn draw_choice(
    frame: &mut Frame,
    app: &App,
    title: &str,
    ids: &[ArticleId],
    selected: usize,
    theme: &Theme,
) {
    let Some(area) = app.popup_area() else { return };
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .title_bottom(format!(" {} ", EN.choose_footer))
        .border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let first = choice_offset(selected, inner.height);
    let rows: Vec<Line> = ids
        .iter()
        .enumerate()
        .skip(first)
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
