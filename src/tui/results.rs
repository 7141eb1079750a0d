//! Library search and the headline filter, as `update` runs them on every
//! key typed: ranked hits for the results view, the narrowed headline list,
//! and opening a hit at its first match.

use super::app::{App, Cursor, Find, Highlight, IndexState, Pane, SearchView};
use crate::core::search::{Query, SearchIndex, TitleFilter};
use std::sync::Arc;

/// Hits kept for the results view; more than fit on any screen.
const MAX_HITS: usize = 200;

/// The index, built here and now when the background build has not
/// delivered it (tests, or a search typed before the build started).
fn index(app: &mut App) -> Option<Arc<SearchIndex>> {
    match &app.index {
        IndexState::Ready(ix) => Some(ix.clone()),
        IndexState::Building(_) => None,
        IndexState::Missing => {
            let ix = Arc::new(SearchIndex::build(&app.lib));
            app.index = IndexState::Ready(ix.clone());
            Some(ix)
        }
    }
}

/// Runs the search for `input` and shows its hits.
pub fn refresh(app: &mut App, input: &str) {
    let query = Query::parse(input);
    let results = match index(app) {
        Some(ix) if !query.is_empty() => ix.search(&app.lib, &query, MAX_HITS),
        _ => Default::default(),
    };
    app.search = Some(SearchView {
        query,
        total: results.total,
        hits: results.hits,
        cursor: Cursor::default(),
    });
}

/// Narrows the headline list to titles matching `pattern`, fuzzily; an
/// empty pattern shows the whole library again.
pub fn filter(app: &mut App, pattern: &str) {
    let lib = app.lib.clone();
    let tf = app
        .title_filter
        .get_or_insert_with(|| TitleFilter::new(&lib));
    // Into the list's own memory: a fresh list of up to every article on
    // each key would have its pages faulted in again.
    tf.filter_into(pattern, &mut app.list);
    app.filter = pattern.to_owned();
    app.headlines = Cursor::default();
    if let Some(pos) = app
        .open
        .and_then(|v| app.list.iter().position(|&i| i == v.id))
    {
        if pattern.is_empty() {
            app.headlines.selected = pos;
        }
    }
    app.focus = Pane::Headlines;
}

/// Opens the hit under the cursor, scrolled to its first match, with every
/// match of the query highlighted.
pub fn open_selected(app: &mut App, _input: &str) {
    let Some(view) = app.search.take() else {
        return;
    };
    let Some(hit) = view.hits.get(view.cursor.selected) else {
        return;
    };
    super::update::open_article(app, hit.id, true);
    app.find = Some(Find {
        highlight: Highlight::Query(view.query),
        matches: Vec::new(),
        current: None,
        computed_for: None,
    });
    super::prompt::refresh_find(app);
    // The title lines match too, but the first match in the body is where
    // the reader wants to be.
    let first_body = app
        .document()
        .map_or(0, |d| d.block_line.first().copied().unwrap_or(0));
    super::prompt::goto_match_from(app, first_body);
}
