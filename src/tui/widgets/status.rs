//! The status bar: a message or key hints on the left, the position on the
//! right (article i of N, percent read, number of links).

use super::theme::Theme;
use super::truncate;
use crate::tui::action::Action;
use crate::tui::app::{App, Level, PromptKind};
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
    let right = match &app.prompt {
        Some(_) => prompt_counter(app),
        None => position(app),
    };
    let width = usize::from(area.width);
    let left_w = left_room(width, &right);
    let (left, style) = match (&app.prompt, &app.status) {
        (Some(p), _) => {
            let label = match p.kind {
                PromptKind::Search => "Search: ",
                PromptKind::Filter => "Filter: ",
                PromptKind::Find => "Find: ",
                PromptKind::Open => "Open: ",
            };
            // The end of the input stays in view as it grows.
            let room = left_room(width, &right).saturating_sub(label.width() + 1);
            let input = tail(&p.input, room);
            (
                format!("{label}{input}\u{2581}"),
                ratatui::style::Style::new(),
            )
        }
        (None, Some(s)) => (
            s.text.clone(),
            if s.level == Level::Warn {
                theme.warn()
            } else {
                ratatui::style::Style::new()
            },
        ),
        (None, None) => (hints(app), theme.dim()),
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

fn left_room(width: usize, right: &str) -> usize {
    width.saturating_sub(right.width() + 1)
}

/// The last `room` columns of `s`.
fn tail(s: &str, room: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}

/// What the prompt has found so far: "3/7" for find, hits for search.
fn prompt_counter(app: &App) -> String {
    match app.prompt.as_ref().map(|p| p.kind) {
        Some(PromptKind::Find) => find_counter(app).unwrap_or_else(|| "no matches".into()),
        Some(PromptKind::Filter) => format!("{}/{}", app.list.len(), app.lib.len()),
        Some(PromptKind::Open) => "Tab completes \u{b7} Enter opens".to_owned(),
        Some(PromptKind::Search) => match (app.index_progress(), &app.search) {
            (Some(p), _) => format!("indexing {p}%"),
            (None, Some(v)) if !v.query.is_empty() => format!("{} found", v.total),
            _ => String::new(),
        },
        None => String::new(),
    }
}

/// "3/7": the current match of find and how many there are.
fn find_counter(app: &App) -> Option<String> {
    let f = app.find.as_ref()?;
    if f.matches.is_empty() {
        return None;
    }
    Some(format!(
        "{}/{}",
        f.current.map_or(0, |c| c + 1),
        f.matches.len()
    ))
}

fn hints(app: &App) -> String {
    let k = |a: Action| {
        app.keymap
            .keys(a)
            .first()
            .map(|k| k.label())
            .unwrap_or_default()
    };
    // Help first: on a narrow screen it is the hint that must survive.
    [
        (Action::Help, "help"),
        (Action::Search, "search"),
        (Action::NextLink, "link"),
        (Action::Open, "open"),
        (Action::Back, "back"),
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
        return EN.articles(n);
    };
    let links = EN.links(app.lib.graph.outgoing[v.id.index()].len());
    let found = find_counter(app)
        .map(|c| format!("match {c} \u{b7} "))
        .unwrap_or_default();
    let at = format!("{found}{}/{n}", v.id.index() + 1);
    // How far the reader has got: the share of the article that has been
    // on screen, as less counts it. Only while the reader is shown: in one
    // pane, with the outline up, there is no view to measure.
    match (app.reader_text_area(), app.cached_document()) {
        (Some(r), Some(doc)) => {
            let total = doc.len().max(1);
            let pct = ((v.scroll + usize::from(r.height)).min(total) * 100) / total;
            format!("{at} \u{b7} {pct}% \u{b7} {links}")
        }
        _ => format!("{at} \u{b7} {links}"),
    }
}
