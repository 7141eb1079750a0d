//! Every string the reader shows a user, in one place, so that a
//! translation (an Indonesian `Strings` beside this English one) is a new
//! value of this type and not a hunt through the code.

use super::action::Action;

pub struct Strings {
    pub headlines: &'static str,
    pub outline: &'static str,
    pub reader: &'static str,
    pub reader_empty: &'static str,
    pub outline_headings: &'static str,
    pub outline_links: &'static str,
    pub outline_backlinks: &'static str,
    pub none: &'static str,
    pub no_articles: &'static str,
    pub no_link_selected: &'static str,
    pub no_links: &'static str,
    pub history_start: &'static str,
    pub history_end: &'static str,
    pub help_title: &'static str,
    pub help_footer: &'static str,
    pub candidates_title: &'static str,
    pub choose_footer: &'static str,
    pub sample_note: &'static str,
    pub marked_read: &'static str,
    pub marked_unread: &'static str,
    pub suspended: &'static str,
    pub prompt_keys_label: &'static str,
    pub bookmarked: &'static str,
    pub unbookmarked: &'static str,
    pub bookmarks_title: &'static str,
    pub no_bookmarks: &'static str,
    pub recent_title: &'static str,
    pub no_recent: &'static str,
    pub no_state: &'static str,
    pub open_this_folder: &'static str,
    pub nothing_to_open: &'static str,
    pub state_not_saved: &'static str,
    pub prompt_keys: &'static str,
}

pub const EN: Strings = Strings {
    headlines: "Articles",
    outline: "Outline",
    reader: "Reader",
    reader_empty: "Choose an article on the left and press Enter.",
    outline_headings: "Headings",
    outline_links: "Links",
    outline_backlinks: "Linked from",
    none: "(none)",
    no_articles: "No articles here. Open a folder: baca PATH",
    no_link_selected: "No link selected: press Tab to select one",
    no_links: "This article has no links",
    history_start: "Nothing further back",
    history_end: "Nothing further forward",
    help_title: "Keys",
    help_footer: "closes \u{b7} keys come from keymap.toml",
    candidates_title: "Which article did the link mean?",
    choose_footer: "Enter opens \u{b7} Esc closes",
    sample_note:
        "Showing the sample library: add your own articles to the library folder (baca paths)",
    marked_read: "Marked as read",
    marked_unread: "Marked as unread",
    suspended: "Resumed",
    prompt_keys_label: "typing in a prompt",
    bookmarked: "Bookmarked",
    unbookmarked: "Bookmark removed",
    bookmarks_title: "Bookmarks",
    no_bookmarks: "No bookmarks in this library yet",
    recent_title: "Recently read",
    no_recent: "Nothing read in this library yet",
    no_state: "Reading state is off: no data folder",
    open_this_folder: "open this folder as the library",
    nothing_to_open: "Nothing to open here.",
    state_not_saved: "Reading state not saved",
    prompt_keys: "Enter accept · Esc cancel · ↑↓ choose · Ctrl-u clear",
};

impl Strings {
    pub fn action(&self, a: Action) -> &'static str {
        match a {
            Action::Quit => "quit",
            Action::Help => "show or hide this help",
            Action::Up => "move up / scroll up",
            Action::Down => "move down / scroll down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::FocusLeft => "focus the pane on the left",
            Action::FocusRight => "focus the pane on the right",
            Action::FocusHeadlines => "focus the article list",
            Action::FocusOutline => "focus the outline",
            Action::FocusReader => "focus the reader",
            Action::NextLink => "select the next link",
            Action::PrevLink => "select the previous link",
            Action::Open => "open article · follow link · go to heading",
            Action::Back => "go back",
            Action::Forward => "go forward",
            Action::Search => "search the library; in the reader, find in the article",
            Action::Filter => "filter the headlines by title",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::ToggleRead => "mark read / unread",
            Action::Bookmark => "bookmark / unbookmark",
            Action::Bookmarks => "list the bookmarks",
            Action::Recent => "list the articles read lately",
            Action::OpenPath => "open a file or folder (Tab completes)",
            Action::Cancel => "close / cancel",
            Action::Suspend => "suspend (fg resumes)",
        }
    }

    pub fn broken_link(&self, target: &str, reason: &str, search_key: &str) -> String {
        if target.is_empty() {
            format!("This link goes nowhere: {reason}")
        } else {
            // The offer first: a long title is what the status bar cuts.
            format!("Broken link ({search_key} searches for its title): \u{201c}{target}\u{201d}: {reason}")
        }
    }

    /// What the headline list says when the filter keeps nothing.
    pub fn no_title_matches(&self, filter: &str, cancel_key: &str) -> String {
        format!("No title matches \u{201c}{filter}\u{201d}. {cancel_key} clears the filter.")
    }

    /// "1 link", "6 links".
    pub fn links(&self, n: usize) -> String {
        crate::cli::count(n, "link", "links")
    }

    /// "1 article", "12 articles".
    pub fn articles(&self, n: usize) -> String {
        crate::cli::count(n, "article", "articles")
    }

    pub fn keymap_problem(&self, e: &str) -> String {
        format!("{e}; using the default keys")
    }
}
