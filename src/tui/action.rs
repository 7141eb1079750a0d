//! Everything a user can do, as values: keys and mouse events become
//! actions, and `update` is the only place that turns them into changes.

use serde::Deserialize;

/// Actions that keys can be bound to. The names are those of the keymap
/// file (`assets/keymap.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusLeft,
    FocusRight,
    FocusHeadlines,
    FocusOutline,
    FocusReader,
    NextLink,
    PrevLink,
    Open,
    Back,
    Forward,
    Search,
    Filter,
    NextMatch,
    PrevMatch,
    ToggleRead,
    Bookmark,
    Bookmarks,
    Recent,
    OpenPath,
    Cancel,
    Suspend,
}

impl Action {
    /// Every bindable action, in the order the help screen lists them.
    pub const ALL: &'static [Action] = &[
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::FocusLeft,
        Action::FocusRight,
        Action::FocusHeadlines,
        Action::FocusOutline,
        Action::FocusReader,
        Action::Open,
        Action::NextLink,
        Action::PrevLink,
        Action::Back,
        Action::Forward,
        Action::Search,
        Action::Filter,
        Action::NextMatch,
        Action::PrevMatch,
        Action::ToggleRead,
        Action::Bookmark,
        Action::Bookmarks,
        Action::Recent,
        Action::OpenPath,
        Action::Cancel,
        Action::Help,
        Action::Suspend,
        Action::Quit,
    ];
}

/// Input events that are not key presses, already located on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mouse {
    Click { column: u16, row: u16 },
    ScrollUp { column: u16, row: u16 },
    ScrollDown { column: u16, row: u16 },
}
