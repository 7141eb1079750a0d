//! The configuration file, `config.toml`: raw TOML checked into a
//! [`Config`], with errors that name the line and the problem. Free of
//! terminal types: colours are our own [`Color`] and the keymap patch stays
//! a TOML table for the reader's keymap to take.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::{Spanned, Value};

/// The commented default file, for `baca` to show or write out.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");
/// The file's name inside the config folder.
pub const CONFIG_FILE: &str = "config.toml";
pub const TEXT_WIDTH_MIN: u16 = 40;
pub const TEXT_WIDTH_MAX: u16 = 200;
pub const TEXT_WIDTH_DEFAULT: u16 = 100;

/// False when `NO_COLOR` is set to anything non-empty (no-color.org). Call
/// as `color_enabled(std::env::var_os("NO_COLOR").as_deref())`.
pub fn color_enabled(no_color: Option<&OsStr>) -> bool {
    no_color.is_none_or(OsStr::is_empty)
}

/// A validated configuration; [`Config::default`] is what baca runs on
/// without a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The library folder, `~` expanded and made relative to the config
    /// file's folder; `None` means the data folder's `library`.
    pub library: Option<PathBuf>,
    pub theme: ThemeName,
    /// The theme's colours with the file's `[colors]` applied.
    pub colors: Palette,
    /// The widest the reader wraps text, in columns.
    pub text_width: u16,
    pub layout: Layout,
    /// The `[keys]` table as written (action = ["key", ...]); action names
    /// and key names are the keymap's to check.
    pub keys: toml::Table,
    /// The line of each action in `[keys]`, for naming it in keymap errors.
    key_lines: BTreeMap<String, usize>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            library: None,
            theme: ThemeName::Dark,
            colors: Palette::dark(),
            text_width: TEXT_WIDTH_DEFAULT,
            layout: Layout::Auto,
            keys: toml::Table::new(),
            key_lines: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// Three panes, two or one as the terminal's width allows.
    #[default]
    Auto,
    One,
    Two,
    Three,
}

/// A terminal colour: the sixteen named ones, the terminal's own default,
/// or a 24-bit colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Reset,
    Black,
    Red,
    Green,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    Gray,
    DarkGray,
    LightRed,
    LightGreen,
    LightYellow,
    LightBlue,
    LightMagenta,
    LightCyan,
    White,
    Rgb(u8, u8, u8),
}

impl Color {
    /// "cyan", "dark_gray" (also "DarkGray", "dark-grey"), "reset" or
    /// "#rrggbb".
    pub fn parse(s: &str) -> Option<Color> {
        let s = s.trim();
        if let Some(hex) = s.strip_prefix('#') {
            if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            return Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?));
        }
        let name: String = s
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let name = name.replace("grey", "gray");
        Some(match name.as_str() {
            "reset" | "default" => Color::Reset,
            "black" => Color::Black,
            "red" => Color::Red,
            "green" => Color::Green,
            "yellow" => Color::Yellow,
            "blue" => Color::Blue,
            "magenta" => Color::Magenta,
            "cyan" => Color::Cyan,
            "gray" => Color::Gray,
            "darkgray" => Color::DarkGray,
            "lightred" => Color::LightRed,
            "lightgreen" => Color::LightGreen,
            "lightyellow" => Color::LightYellow,
            "lightblue" => Color::LightBlue,
            "lightmagenta" => Color::LightMagenta,
            "lightcyan" => Color::LightCyan,
            "white" => Color::White,
            _ => return None,
        })
    }
}

/// Declares the palette's slots once: the struct, its names for `[colors]`
/// and the setter by name.
macro_rules! palette {
    ($($(#[doc = $doc:literal])* $slot:ident),* $(,)?) => {
        /// The colour of each thing baca draws.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Palette {
            $($(#[doc = $doc])* pub $slot: Color,)*
        }

        impl Palette {
            /// The slot names a `[colors]` table may set.
            pub const SLOTS: &'static [&'static str] = &[$(stringify!($slot)),*];

            fn slot_mut(&mut self, name: &str) -> Option<&mut Color> {
                match name {
                    $(stringify!($slot) => Some(&mut self.$slot),)*
                    _ => None,
                }
            }
        }
    };
}

palette! {
    /// Borders of panes without focus.
    border,
    /// The border of the pane with focus.
    border_focused,
    /// Body text.
    text,
    /// Metadata, hints, empty panes.
    dim,
    /// The article's title.
    title,
    /// Subheadings in the article.
    heading,
    /// Section headers in the outline.
    header,
    /// A link whose article is in the library.
    link,
    /// A link that matches several articles.
    link_ambiguous,
    /// A link that matches none.
    link_broken,
    /// Search matches: text colour.
    match_fg,
    /// Search matches: background.
    match_bg,
    /// Warnings in the status line.
    warn,
}

impl Palette {
    pub fn dark() -> Palette {
        Palette {
            border: Color::DarkGray,
            border_focused: Color::Cyan,
            text: Color::Reset,
            dim: Color::DarkGray,
            title: Color::White,
            heading: Color::Yellow,
            header: Color::Gray,
            link: Color::Cyan,
            link_ambiguous: Color::Magenta,
            link_broken: Color::Red,
            match_fg: Color::Black,
            match_bg: Color::Yellow,
            warn: Color::Yellow,
        }
    }

    /// For terminals with a light background: no white or yellow text.
    pub fn light() -> Palette {
        Palette {
            border: Color::Gray,
            border_focused: Color::Blue,
            text: Color::Reset,
            dim: Color::DarkGray,
            title: Color::Black,
            heading: Color::Magenta,
            header: Color::DarkGray,
            link: Color::Blue,
            link_ambiguous: Color::Magenta,
            link_broken: Color::Red,
            match_fg: Color::Black,
            match_bg: Color::LightYellow,
            warn: Color::Red,
        }
    }

    pub fn of(theme: ThemeName) -> Palette {
        match theme {
            ThemeName::Dark => Palette::dark(),
            ThemeName::Light => Palette::light(),
        }
    }
}

/// A problem with the file: which file, which line, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file's name as shown ("config.toml").
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The file as written; every value is checked by hand so messages can
/// name the key and what it accepts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    library: Option<Spanned<Value>>,
    theme: Option<Spanned<Value>>,
    colors: Option<BTreeMap<String, Spanned<Value>>>,
    text_width: Option<Spanned<Value>>,
    layout: Option<Spanned<Value>>,
    keys: Option<BTreeMap<String, Spanned<Value>>>,
}

impl Config {
    /// Reads `path`. A missing file gives the defaults and no message; an
    /// invalid one gives the defaults and the message to show, e.g.
    /// "config.toml line 3: text_width must be between 40 and 200, got 10".
    pub fn load(path: &Path) -> (Config, Option<String>) {
        match super::files::read_string(path, super::files::MAX_BYTES) {
            Err(e) if e.is_not_found() => (Config::default(), None),
            Err(e) => (Config::default(), Some(format!("{}: {e}", path.display()))),
            Ok(text) => match Config::parse(&text, path) {
                Ok(config) => (config, None),
                Err(e) => (Config::default(), Some(e.to_string())),
            },
        }
    }

    /// Like [`Config::load`], for a file the user named (`--config FILE`):
    /// a missing file is reported too.
    pub fn load_given(path: &Path) -> (Config, Option<String>) {
        if !path.exists() {
            return (
                Config::default(),
                Some(format!("{}: no such file", path.display())),
            );
        }
        Config::load(path)
    }

    /// Checks the text of the file at `path` (the path names the file in
    /// messages and anchors a relative `library`).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let err = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
            file: file.clone(),
            line: span.map(|s| line_of(text, s.start)),
            message,
        };
        let raw: Raw =
            toml::from_str(text).map_err(|e| err(e.span(), serde_message(e.message())))?;
        let mut config = Config::default();

        if let Some(v) = raw.theme {
            config.theme = match v.get_ref().as_str() {
                Some("dark") => ThemeName::Dark,
                Some("light") => ThemeName::Light,
                _ => {
                    let msg = format!("theme must be \"dark\" or \"light\", got {}", v.get_ref());
                    return Err(err(Some(v.span()), msg));
                }
            };
            config.colors = Palette::of(config.theme);
        }

        if let Some(colors) = raw.colors {
            for (slot, v) in colors {
                let Some(target) = config.colors.slot_mut(&slot) else {
                    let msg = format!(
                        "unknown colour `{slot}` in [colors] (known: {})",
                        Palette::SLOTS.join(", ")
                    );
                    return Err(err(Some(v.span()), msg));
                };
                *target = v.get_ref().as_str().and_then(Color::parse).ok_or_else(|| {
                    let msg = format!(
                        "colors.{slot} must be a colour name like \"cyan\" or \"light_blue\", or \"#rrggbb\"; got {}",
                        v.get_ref()
                    );
                    err(Some(v.span()), msg)
                })?;
            }
        }

        if let Some(v) = raw.library {
            let s = v.get_ref().as_str().map(str::trim).unwrap_or("");
            if s.is_empty() {
                let msg = format!("library must be a folder path, got {}", v.get_ref());
                return Err(err(Some(v.span()), msg));
            }
            let expanded = expand_tilde(s, home_dir().as_deref());
            config.library = Some(match path.parent() {
                Some(base) if expanded.is_relative() => base.join(expanded),
                _ => expanded,
            });
        }

        if let Some(v) = raw.text_width {
            let range = TEXT_WIDTH_MIN..=TEXT_WIDTH_MAX;
            config.text_width = match v.get_ref().as_integer() {
                Some(n) => u16::try_from(n)
                    .ok()
                    .filter(|n| range.contains(n))
                    .ok_or_else(|| {
                        let msg = format!(
                            "text_width must be between {TEXT_WIDTH_MIN} and {TEXT_WIDTH_MAX}, got {n}"
                        );
                        err(Some(v.span()), msg)
                    })?,
                None => {
                    let msg = format!(
                        "text_width must be a whole number between {TEXT_WIDTH_MIN} and {TEXT_WIDTH_MAX}, got {}",
                        v.get_ref()
                    );
                    return Err(err(Some(v.span()), msg));
                }
            };
        }

        if let Some(v) = raw.layout {
            config.layout = match v.get_ref().as_str() {
                Some("auto") => Layout::Auto,
                Some("one") => Layout::One,
                Some("two") => Layout::Two,
                Some("three") => Layout::Three,
                _ => {
                    let msg = format!(
                        "layout must be \"auto\", \"one\", \"two\" or \"three\", got {}",
                        v.get_ref()
                    );
                    return Err(err(Some(v.span()), msg));
                }
            };
        }

        for (action, v) in raw.keys.unwrap_or_default() {
            let ok = match v.get_ref() {
                Value::String(s) => !s.is_empty(),
                Value::Array(items) => items
                    .iter()
                    .all(|k| k.as_str().is_some_and(|s| !s.is_empty())),
                _ => false,
            };
            if !ok {
                let msg = format!(
                    "keys.{action} must be a list of key names like [\"j\", \"down\"], got {}",
                    v.get_ref()
                );
                return Err(err(Some(v.span()), msg));
            }
            config
                .key_lines
                .insert(action.clone(), line_of(text, v.span().start));
            config.keys.insert(action, v.into_inner());
        }

        Ok(config)
    }

    /// The `[keys]` table as TOML text for the keymap's user patch, or
    /// `None` when the file changes no key.
    pub fn keys_toml(&self) -> Option<String> {
        if self.keys.is_empty() {
            return None;
        }
        toml::to_string(&self.keys).ok()
    }

    /// The line of `action` in the `[keys]` table, to point at it when the
    /// keymap rejects its keys.
    pub fn key_line(&self, action: &str) -> Option<usize> {
        self.key_lines.get(action).copied()
    }
}

/// `~` and `~/…` become the home folder (when known); other paths are kept.
pub fn expand_tilde(path: &str, home: Option<&Path>) -> PathBuf {
    match (path, home) {
        ("~", Some(home)) => home.to_path_buf(),
        (p, Some(home)) if p.starts_with("~/") || (cfg!(windows) && p.starts_with("~\\")) => {
            home.join(&p[2..])
        }
        (p, _) => PathBuf::from(p),
    }
}

fn home_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// serde's wording made the file's: "unknown field `x`, expected one of
/// …" is about a key.
fn serde_message(message: &str) -> String {
    message
        .trim()
        .replace("unknown field", "unknown key")
        .replace("expected a map", "expected a table")
}
