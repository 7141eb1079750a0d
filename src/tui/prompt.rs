//! The prompts of the status line and what typing into them changes: the
//! library search and its results, the headline filter, and find in the
//! open article with its matches. Part of `update`: only called from it.

use super::app::{App, Find, Highlight, Level, Pane, Prompt, PromptKind};
use super::document::Document;
use crate::core::search::find_in_text;
use std::ops::Range;

/// A change to the text being typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    DeleteWord,
    Clear,
    Submit,
    Cancel,
    /// Tab in the path prompt.
    Complete,
}

pub fn open(app: &mut App, kind: PromptKind, input: String) {
    let scroll_before = app.open.map(|v| v.scroll);
    app.prompt = Some(Prompt {
        kind,
        input,
        scroll_before,
    });
    changed(app);
}

pub fn edit(app: &mut App, edit: Edit) {
    let Some(prompt) = app.prompt.as_mut() else {
        return;
    };
    match edit {
        Edit::Insert(c) => prompt.input.push(c),
        Edit::Backspace => {
            prompt.input.pop();
        }
        Edit::DeleteWord => {
            // Back to the previous space, or slash in a path: one word or
            // one path component.
            let body = prompt.input.trim_end_matches([' ', '/']);
            let keep = body.rfind([' ', '/']).map_or(0, |i| i + 1);
            prompt.input.truncate(keep);
        }
        Edit::Clear => prompt.input.clear(),
        Edit::Submit => return submit(app),
        Edit::Cancel => return cancel(app),
        Edit::Complete => return super::browse::complete(app),
    }
    changed(app);
}

/// The input changed: search, filter or find again.
fn changed(app: &mut App) {
    let Some(prompt) = app.prompt.clone() else {
        return;
    };
    match prompt.kind {
        PromptKind::Open => super::browse::refresh(app),
        PromptKind::Search => super::results::refresh(app, &prompt.input),
        PromptKind::Filter => super::results::filter(app, &prompt.input),
        PromptKind::Find => {
            if prompt.input.is_empty() {
                app.find = None;
                if let (Some(v), Some(s)) = (app.open.as_mut(), prompt.scroll_before) {
                    v.scroll = s;
                }
                return;
            }
            app.find = Some(Find {
                highlight: Highlight::Text(prompt.input.clone()),
                matches: Vec::new(),
                current: None,
                computed_for: None,
            });
            refresh_find(app);
            // Incremental, like less and vim: the first match from where
            // the reader was when the prompt opened.
            goto_match_from(app, prompt.scroll_before.unwrap_or(0));
        }
    }
}

fn submit(app: &mut App) {
    if app
        .prompt
        .as_ref()
        .is_some_and(|p| p.kind == PromptKind::Open)
    {
        return super::browse::submit(app);
    }
    let Some(prompt) = app.prompt.take() else {
        return;
    };
    match prompt.kind {
        PromptKind::Open => {}
        PromptKind::Search => super::results::open_selected(app, &prompt.input),
        PromptKind::Filter => app.focus = Pane::Headlines,
        PromptKind::Find => {
            if app.find.as_ref().is_some_and(|f| f.matches.is_empty()) && !prompt.input.is_empty() {
                app.flash(format!("Not found: {}", prompt.input), Level::Warn);
            }
        }
    }
}

fn cancel(app: &mut App) {
    let Some(prompt) = app.prompt.take() else {
        return;
    };
    match prompt.kind {
        PromptKind::Open => app.browser = None,
        PromptKind::Search => app.search = None,
        PromptKind::Filter => super::results::filter(app, ""),
        PromptKind::Find => {
            app.find = None;
            if let (Some(v), Some(s)) = (app.open.as_mut(), prompt.scroll_before) {
                v.scroll = s;
            }
        }
    }
}

/// Recomputes the matches when the article or the width changed.
pub fn refresh_find(app: &mut App) {
    let Some(visit) = app.open else {
        app.find = None;
        return;
    };
    let Some(doc) = app.document() else { return };
    let width = app.reader_text_area().map_or(0, |r| r.width);
    let Some(find) = app.find.as_mut() else {
        return;
    };
    if find.computed_for == Some((visit.id, width)) {
        return;
    }
    let same_article = find.computed_for.is_some_and(|(id, _)| id == visit.id);
    let before = find.matches.len();
    find.matches = matches_in(&doc, &find.highlight);
    find.computed_for = Some((visit.id, width));
    // Only the width changed: the same matches in the same order, so the
    // current one stays current (unless wrapping split a match).
    if !(same_article && find.matches.len() == before) {
        find.current = None;
    }
}

fn matches_in(doc: &Document, highlight: &Highlight) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    match highlight {
        Highlight::Text(needle) => {
            for (i, line) in doc.lines.iter().enumerate() {
                out.extend(find_in_text(&line.text, needle).into_iter().map(|r| (i, r)));
            }
        }
        Highlight::Query(q) => {
            for (i, line) in doc.lines.iter().enumerate() {
                out.extend(q.matches_in_text(&line.text).into_iter().map(|r| (i, r)));
            }
        }
    }
    out
}

/// Makes the first match at or after `line` current and scrolls to it.
pub fn goto_match_from(app: &mut App, line: usize) {
    let Some(find) = app.find.as_mut() else {
        return;
    };
    if find.matches.is_empty() {
        return;
    }
    let i = find
        .matches
        .iter()
        .position(|(l, _)| *l >= line)
        .unwrap_or(0);
    find.current = Some(i);
    reveal_match(app);
}

/// `n` / `N`: the next or previous match, wrapping around.
pub fn step_match(app: &mut App, delta: isize) {
    let Some(find) = app.find.as_mut() else {
        app.flash(
            "No search in this article: press / in the reader",
            Level::Info,
        );
        return;
    };
    let n = find.matches.len();
    if n == 0 {
        app.flash("No matches", Level::Info);
        return;
    }
    let scroll = app.open.map_or(0, |v| v.scroll);
    let next = match find.current {
        Some(c) => (c as isize + delta).rem_euclid(n as isize) as usize,
        None if delta > 0 => find
            .matches
            .iter()
            .position(|(l, _)| *l >= scroll)
            .unwrap_or(0),
        None => find
            .matches
            .iter()
            .rposition(|(l, _)| *l < scroll)
            .unwrap_or(n - 1),
    };
    find.current = Some(next);
    reveal_match(app);
}

/// Scrolls so the current match is in view, a few lines from the top.
fn reveal_match(app: &mut App) {
    let height = app
        .reader_text_area()
        .map_or(1, |r| usize::from(r.height).max(1));
    let Some(line) = app
        .find
        .as_ref()
        .and_then(|f| f.current.and_then(|c| f.matches.get(c)))
        .map(|m| m.0)
    else {
        return;
    };
    if let Some(v) = app.open.as_mut() {
        if line < v.scroll || line >= v.scroll + height {
            v.scroll = line.saturating_sub(height / 3);
        }
    }
}
