//! The whole reader driven by key presses on ratatui's TestBackend, its
//! screens snapshotted with insta (tests/snapshots/).
#![cfg(feature = "tui")]

use baca::core::library::Library;
use baca::tui::app::App;
use baca::tui::keymap::Keymap;
use baca::tui::update::{on_key, update, Msg};
use baca::tui::widgets::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use ratatui::Terminal;

struct Harness {
    app: App,
    term: Terminal<TestBackend>,
}

impl Harness {
    fn new(lib: Library, w: u16, h: u16) -> Harness {
        let mut app = App::new(lib, Keymap::defaults());
        update(&mut app, Msg::Resize(w, h));
        let term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        Harness { app, term }
    }

    fn sample(w: u16, h: u16) -> Harness {
        Harness::new(Library::sample(), w, h)
    }

    /// Presses keys named as in the keymap file, separated by spaces.
    fn keys(&mut self, keys: &str) -> &mut Self {
        for name in keys.split(' ').filter(|k| !k.is_empty()) {
            let key = baca::tui::keymap::Key::parse(name).expect("key name");
            let ev = KeyEvent::new(key.code, key.mods);
            if let Some(msg) = on_key(&self.app, &ev) {
                update(&mut self.app, msg);
            }
        }
        self
    }

    /// Moves the headline cursor to the article whose title contains
    /// `part`.
    fn select_titled(&mut self, part: &str) {
        let lib = &self.app.lib;
        let id = lib
            .ids()
            .find(|&i| lib.article(i).title.contains(part))
            .expect("article in the sample");
        self.keys(&"j ".repeat(id.index()));
    }

    fn screen(&mut self) -> String {
        let app = &self.app;
        self.term.draw(|f| view(f, app)).expect("draw");
        // TestBackend cannot print an empty buffer; the draw is the test.
        if self.term.backend().buffer().area.is_empty() {
            return String::new();
        }
        self.term.backend().to_string()
    }

    fn mouse(&mut self, m: baca::tui::action::Mouse) {
        update(&mut self.app, Msg::Mouse(m));
    }

    fn click(&mut self, column: u16, row: u16) {
        self.mouse(baca::tui::action::Mouse::Click { column, row });
    }

    /// The screen row and column where `text` first shows.
    fn find(&mut self, text: &str) -> (u16, u16) {
        let s = self.screen();
        let at = s.lines().enumerate().find_map(|(row, l)| {
            // Each line of the TestBackend's text is quoted.
            let col = l.find(text)?;
            Some((row, l[..col].chars().count() - 1))
        });
        let (row, col) = at.unwrap_or_else(|| panic!("{text:?} not on screen:\n{s}"));
        (
            u16::try_from(row).expect("row"),
            u16::try_from(col).expect("col"),
        )
    }

    /// The status bar's text.
    fn status(&mut self) -> String {
        self.screen().lines().last().unwrap_or_default().to_owned()
    }

    fn resize(&mut self, w: u16, h: u16) {
        update(&mut self.app, Msg::Resize(w, h));
        self.term.backend_mut().resize(w, h);
    }
}

#[test]
fn sample_library_wide() {
    let mut h = Harness::sample(120, 40);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn sample_library_narrow() {
    let mut h = Harness::sample(60, 20);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn seed_article_open() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter");
    let s = h.screen();
    assert!(s.contains("Warga Armenia Bakar Rumah"), "{s}");
    assert!(s.contains("PENJAGA PERDAMAIAN RUSIA"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn follow_link_and_back_keeps_scroll() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter j j j tab");
    let before = h.app.open.expect("an article is open");
    assert_eq!(before.link, Some(0), "Tab selects the first link in view");
    h.keys("enter");
    let target = h.app.open.expect("followed");
    assert_ne!(target.id, before.id);
    let s = h.screen();
    assert!(
        s.contains("6 Minggu Perang, Armenia, Azerbaijan dan Rusia Sepakat"),
        "{s}"
    );
    insta::assert_snapshot!("link_followed", s);
    h.keys("backspace");
    assert_eq!(
        h.app.open,
        Some(before),
        "back restores article, scroll and selected link"
    );
    insta::assert_snapshot!("link_back", h.screen());
    h.keys("alt-right");
    assert_eq!(h.app.open.map(|v| v.id), Some(target.id), "forward again");
}

#[test]
fn broken_link_says_so() {
    let mut h = Harness::sample(120, 40);
    h.select_titled("PM Armenia Akui");
    h.keys("enter tab enter");
    let s = h.screen();
    assert!(s.contains("Broken link"), "{s}");
    assert!(h
        .app
        .offered_search
        .as_deref()
        .is_some_and(|t| t.starts_with("Turki Tegaskan")));
    insta::assert_snapshot!(s);
}

#[test]
fn help_screen_lists_every_action() {
    let mut h = Harness::sample(120, 40);
    h.keys("?");
    let s = h.screen();
    for a in baca::tui::action::Action::ALL {
        let label = h.app.keymap.label(*a);
        assert!(s.contains(&label), "help misses {a:?} ({label})");
    }
    insta::assert_snapshot!(s);
    h.keys("esc");
    assert!(h.app.popup.is_none());
}

#[test]
fn tiny_and_odd_sizes_never_panic() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter tab");
    for (w, hgt) in [
        (20, 5),
        (1, 1),
        (2, 2),
        (0, 0),
        (79, 3),
        (80, 24),
        (119, 10),
        (300, 100),
    ] {
        h.resize(w, hgt);
        let _ = h.screen();
        h.keys("j k G g tab enter backspace l h ?");
        let _ = h.screen();
        h.keys("esc");
    }
}

#[test]
fn layout_follows_width() {
    let h = Harness::sample(120, 40);
    let a = h.app.areas();
    assert!(a.headlines.is_some() && a.outline.is_some() && a.reader.is_some());
    let h = Harness::sample(100, 40);
    let a = h.app.areas();
    assert!(a.headlines.is_some() && a.outline.is_none() && a.reader.is_some());
    let mut h = Harness::sample(60, 20);
    let a = h.app.areas();
    assert!(a.headlines.is_some() && a.reader.is_none());
    h.keys("l");
    let a = h.app.areas();
    assert!(
        a.outline.is_some() && a.headlines.is_none(),
        "one pane: the focused one"
    );
}

#[test]
fn reader_text_is_capped_and_centred() {
    let mut h = Harness::sample(300, 60);
    h.keys("enter");
    let r = h.app.reader_text_area().expect("reader");
    assert!(r.width <= 100, "text width {}", r.width);
    let pane = h.app.areas().reader.expect("pane");
    let left = r.x - pane.x;
    let right = (pane.x + pane.width) - (r.x + r.width);
    assert!(left.abs_diff(right) <= 2, "centred: {left} vs {right}");
}

#[test]
fn control_sequences_from_articles_never_reach_the_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("evil.txt"),
        "Judul \u{1b}]0;pwned\u{7}Aman\nIsi \u{1b}[2J\u{1b}[31mmerah\u{1b}[0m biasa.\nBaca juga: Lain\u{1b}[5m\n",
    )
    .expect("write");
    let mut h = Harness::new(Library::load(&[dir.path().to_path_buf()]), 100, 20);
    h.keys("enter");
    let buf = h.term.backend().buffer().clone();
    let _ = h.screen();
    let buf2 = h.term.backend().buffer();
    for cell in buf.content().iter().chain(buf2.content()) {
        assert!(
            !cell.symbol().chars().any(char::is_control),
            "control char in {:?}",
            cell.symbol()
        );
    }
    assert!(h.screen().contains("Isi merah biasa."));
}

#[test]
fn no_color_still_tells_link_states_apart() {
    let mut h = Harness::sample(120, 40);
    h.app.no_color = true;
    h.select_titled("PM Armenia Akui");
    h.keys("enter G");
    let _ = h.screen();
    let buf = h.term.backend().buffer();
    let row_style = |needle: &str| {
        (0..buf.area.height).find_map(|y| {
            let row: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            let col = row.find(needle)?;
            let x = row[..col].chars().count() as u16 + 2;
            let cell = &buf[(x, y)];
            Some((cell.fg, cell.modifier))
        })
    };
    let (fg_broken, broken) = row_style("\u{2717} Baca juga").expect("broken link drawn");
    let (fg_ok, resolved) = row_style("\u{25b8} Lihat juga").expect("resolved link drawn");
    assert_eq!(fg_broken, ratatui::style::Color::Reset, "no colour");
    assert_eq!(fg_ok, ratatui::style::Color::Reset, "no colour");
    assert!(broken.contains(Modifier::CROSSED_OUT), "{broken:?}");
    assert!(resolved.contains(Modifier::UNDERLINED), "{resolved:?}");
}

#[test]
fn mouse_click_opens_headline_and_follows_link() {
    use baca::tui::action::Mouse;
    let mut h = Harness::sample(120, 40);
    // Row 2 of the screen is the second headline (row 0 is the border).
    update(&mut h.app, Msg::Mouse(Mouse::Click { column: 5, row: 2 }));
    let open = h.app.open.expect("click opened an article");
    assert_eq!(open.id.index(), 1);
    let _ = h.screen();
    update(
        &mut h.app,
        Msg::Mouse(Mouse::ScrollDown {
            column: 80,
            row: 10,
        }),
    );
    assert_eq!(
        h.app.open.map(|v| v.scroll),
        Some(3),
        "wheel scrolls the reader"
    );
}

#[test]
fn keys_ignore_release_events() {
    let h = Harness::sample(80, 24);
    let mut ev = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    ev.kind = crossterm::event::KeyEventKind::Release;
    assert!(on_key(&h.app, &ev).is_none());
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write fixture");
    }
    dir
}

/// A link whose title two articles have, told apart by their dates.
fn two_candidates() -> tempfile::TempDir {
    folder(&[
        (
            "a.txt",
            "---\ntitle: Awal Cerita\n---\nIsi pertama.\nBaca juga: Banjir Besar di Kota Lama\n",
        ),
        (
            "b.txt",
            "---\ntitle: Banjir Besar di Kota Lama\ndate: 2020-01-01\n---\nVersi pertama.\n",
        ),
        (
            "c.txt",
            "---\ntitle: Banjir Besar di Kota Lama\ndate: 2021-01-01\n---\nVersi kedua.\n",
        ),
    ])
}

#[test]
fn ambiguous_link_lists_candidates_to_choose_from() {
    let dir = two_candidates();
    let mut h = Harness::new(Library::load(&[dir.path().to_path_buf()]), 120, 30);
    h.keys("enter tab enter");
    let Some(baca::tui::app::Popup::Choose { ids, .. }) = h.app.popup.clone() else {
        panic!("expected the candidates popup, got {:?}", h.app.popup);
    };
    assert_eq!(ids.len(), 2);
    let s = h.screen();
    assert!(s.contains("Which article did the link mean?"), "{s}");
    assert!(s.contains("2021-01-01"), "{s}");
    h.keys("down enter");
    assert_eq!(h.app.open.map(|v| v.id), Some(ids[1]));
    h.keys("backspace");
    assert_eq!(
        h.app.lib.article(h.app.open.expect("back").id).title,
        "Awal Cerita"
    );
}

#[test]
fn the_mouse_chooses_in_a_popup_and_never_reaches_the_panes_under_it() {
    let dir = two_candidates();
    let mut h = Harness::new(Library::load(&[dir.path().to_path_buf()]), 120, 30);
    h.keys("enter tab enter");
    let first = h.app.open.expect("open").id;
    let Some(baca::tui::app::Popup::Choose { ids, .. }) = h.app.popup.clone() else {
        panic!("expected the candidates popup, got {:?}", h.app.popup);
    };
    let later = ids
        .iter()
        .copied()
        .find(|&i| h.app.lib.article(i).meta.date.as_deref() == Some("2021-01-01"))
        .expect("candidate");
    let (row, col) = h.find("Banjir Besar di Kota Lama \u{b7} 2021-01-01");
    h.click(col, row);
    assert_eq!(h.app.popup, None, "a click on a candidate closes the list");
    assert_eq!(h.app.open.map(|v| v.id), Some(later), "and opens it");

    // A click beside the list closes it and opens nothing under it.
    h.keys("backspace tab enter");
    assert!(h.app.popup.is_some());
    h.click(2, 3);
    assert_eq!(h.app.popup, None);
    assert_eq!(
        h.app.open.map(|v| v.id),
        Some(first),
        "the headline under it stays shut"
    );

    // Over help the wheel scrolls the help, not the pane under it.
    h.keys("1 ?");
    let under = h.app.headlines.selected;
    h.mouse(baca::tui::action::Mouse::ScrollDown { column: 10, row: 5 });
    assert!(
        matches!(h.app.popup, Some(baca::tui::app::Popup::Help { scroll }) if scroll > 0),
        "{:?}",
        h.app.popup
    );
    assert_eq!(h.app.headlines.selected, under);
}

#[test]
fn a_click_on_a_search_hit_opens_it() {
    let mut h = Harness::sample(120, 40);
    h.keys("/");
    for c in "kalbajar".chars() {
        h.keys(&c.to_string());
    }
    let hits: Vec<_> = h
        .app
        .search
        .as_ref()
        .expect("search")
        .hits
        .iter()
        .map(|x| x.id)
        .collect();
    assert!(hits.len() >= 2, "two hits or more");
    let title: String = h.app.lib.article(hits[1]).title.chars().take(30).collect();
    let (row, col) = h.find(&title);
    h.click(col, row);
    assert!(
        h.app.search.is_none() && h.app.prompt.is_none(),
        "the search is done"
    );
    assert_eq!(h.app.open.map(|v| v.id), Some(hits[1]));
}

#[test]
fn outline_enter_jumps_to_heading_and_opens_backlinks() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter 2");
    // The first selectable entry is the first heading.
    h.keys("enter");
    let v = h.app.open.expect("open");
    assert!(v.scroll > 0, "jumped down to the heading");
    let s = h.screen();
    assert!(s.contains("PENJAGA PERDAMAIAN RUSIA"), "{s}");
    // The last entry is a backlink: Enter opens the article that links here.
    h.keys("2 G enter");
    let now = h.app.open.expect("open");
    assert_ne!(now.id, v.id);
    let links_back = h.app.lib.graph.outgoing[now.id.index()]
        .iter()
        .any(|o| o.resolution == baca::core::links::Resolution::Resolved(v.id));
    assert!(links_back, "the opened article links to the seed");
}

#[test]
fn user_keymap_conflict_is_reported_by_name() {
    let err = Keymap::with_user("next_link = [\"j\"]").expect_err("conflict");
    assert!(err.to_string().contains("key j"), "{err}");
}

#[test]
fn library_search_ranks_opens_at_first_match_and_esc_returns() {
    let mut h = Harness::sample(120, 40);
    h.keys("j j enter");
    let before = h.app.open;
    h.keys("1 /");
    for c in "gencatan senjata".chars() {
        let key = if c == ' ' {
            "space".to_owned()
        } else {
            c.to_string()
        };
        h.keys(&key);
        // Every keystroke gives an answer.
        assert!(h.app.search.is_some());
    }
    let s = h.screen();
    assert!(s.contains("Search: gencatan senjata"), "{s}");
    insta::assert_snapshot!("search_results", s);
    h.keys("esc");
    assert!(h.app.search.is_none() && h.app.prompt.is_none());
    assert_eq!(h.app.open, before, "Esc returns to exactly where we were");

    h.keys("/ l a c h i n enter");
    let open = h.app.open.expect("a result opened");
    let title = &h.app.lib.article(open.id).title;
    assert!(
        title.contains("Lachin"),
        "title-matching hit first: {title}"
    );
    let find = h.app.find.as_ref().expect("matches highlighted");
    assert!(!find.matches.is_empty());
    let (line, _) = &find.matches[find.current.expect("a current match")];
    let top = open.scroll;
    assert!(*line >= top, "the first match is in view");
}

#[test]
fn find_in_article_counts_and_steps_through_matches() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter / r u s i a");
    assert_eq!(
        h.app.prompt.as_ref().map(|p| p.kind),
        Some(baca::tui::app::PromptKind::Find)
    );
    h.keys("enter");
    let n = h.app.find.as_ref().map_or(0, |f| f.matches.len());
    assert!(n >= 5, "the seed says Rusia often: {n}");
    let first = h.app.find.as_ref().and_then(|f| f.current);
    h.keys("n");
    let second = h.app.find.as_ref().and_then(|f| f.current);
    assert_eq!(second, first.map(|c| (c + 1) % n));
    h.keys("N N");
    assert_eq!(
        h.app.find.as_ref().and_then(|f| f.current),
        first.map(|c| (c + n - 1) % n)
    );
    let s = h.screen();
    assert!(
        s.contains(&format!("/{n}")),
        "counter in the status bar: {s}"
    );
    h.keys("esc");
    assert!(h.app.find.is_none(), "Esc clears the highlights");
}

#[test]
fn headline_filter_narrows_fuzzily_and_esc_restores() {
    let mut h = Harness::sample(120, 40);
    h.keys("f l c h n");
    assert!(
        !h.app.list.is_empty() && h.app.list.len() < h.app.lib.len(),
        "{}",
        h.app.list.len()
    );
    let first = h.app.lib.article(h.app.list[0]).title.clone();
    assert!(first.contains("Lachin"), "{first}");
    h.keys("enter enter");
    assert_eq!(h.app.open.map(|v| v.id), Some(h.app.list[0]));
    h.keys("1 esc");
    assert_eq!(h.app.list.len(), h.app.lib.len());
    h.keys("f z z z z enter");
    assert!(h.app.list.is_empty());
    let s = h.screen();
    assert!(s.contains("No title matches \u{201c}zzzz\u{201d}"), "{s}");
}

#[test]
fn the_find_counter_survives_a_resize() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter / r u s i a enter n n");
    let current = h.app.find.as_ref().and_then(|f| f.current);
    assert!(current.is_some());
    h.resize(100, 30);
    h.screen();
    assert_eq!(h.app.find.as_ref().and_then(|f| f.current), current);
}

#[test]
fn broken_link_offers_a_search_for_its_title() {
    let mut h = Harness::sample(120, 40);
    h.select_titled("PM Armenia Akui");
    h.keys("enter tab enter /");
    let p = h.app.prompt.as_ref().expect("prompt");
    assert_eq!(p.kind, baca::tui::app::PromptKind::Search);
    assert!(p.input.starts_with("Turki Tegaskan"), "{}", p.input);
}

#[test]
fn the_offer_to_search_goes_with_its_message() {
    let mut h = Harness::sample(120, 40);
    h.select_titled("PM Armenia Akui");
    h.keys("enter tab enter");
    let status = h.status();
    assert!(status.contains("/ searches for its title"), "{status}");
    h.keys("j /");
    let p = h.app.prompt.as_ref().expect("prompt");
    assert_eq!(
        p.kind,
        baca::tui::app::PromptKind::Find,
        "after another key, / finds in the article"
    );
}

#[test]
fn a_link_scrolled_out_of_view_is_let_go() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter tab");
    let open = h.app.open.expect("open");
    assert_eq!(open.link, Some(0));
    let outline = h.app.outline_entries();
    assert_eq!(
        outline.get(h.app.outline.selected),
        Some(&baca::tui::app::OutlineEntry::Link(0)),
        "the outline shows the link Tab selected"
    );
    h.keys("G");
    assert_eq!(
        h.app.open.and_then(|v| v.link),
        None,
        "out of sight, not selected"
    );
    h.keys("enter");
    assert_eq!(
        h.app.open.map(|v| v.id),
        Some(open.id),
        "Enter follows nothing unseen"
    );
    h.keys("tab");
    let doc = h.app.document().expect("document");
    let v = h.app.open.expect("open");
    let line = doc.link_line[v.link.expect("a link")];
    assert!(
        line >= v.scroll,
        "Tab picks a link in view, not the one above it"
    );
}

#[test]
fn ctrl_z_suspends_from_a_prompt_too() {
    let mut h = Harness::sample(120, 40);
    h.keys("/ ctrl-z");
    assert!(h.app.suspend, "Ctrl-Z while typing a search");
    assert_eq!(
        h.app.prompt.as_ref().map(|p| p.input.as_str()),
        Some(""),
        "nothing typed"
    );
}

#[test]
fn shift_tab_takes_the_last_link_in_view() {
    let mut h = Harness::sample(120, 40);
    h.keys("enter");
    let doc = h.app.document().expect("document");
    let v = h.app.open.expect("open");
    let height = usize::from(h.app.reader_text_area().expect("reader").height);
    let in_view: Vec<usize> = (0..doc.link_line.len())
        .filter(|&i| (v.scroll..v.scroll + height).contains(&doc.link_line[i]))
        .collect();
    assert!(
        in_view.len() >= 2,
        "the seed article shows two links at once"
    );
    h.keys("backtab");
    assert_eq!(h.app.open.and_then(|v| v.link), in_view.last().copied());
}

#[test]
fn in_one_pane_the_link_stays_selected_while_the_outline_is_up() {
    let mut h = Harness::sample(70, 30);
    h.keys("enter tab tab");
    let link = h.app.open.and_then(|v| v.link);
    assert!(link.is_some());
    h.keys("2");
    assert!(
        h.app.reader_text_area().is_none(),
        "one pane: the outline alone"
    );
    h.keys("3");
    assert_eq!(h.app.open.and_then(|v| v.link), link);
}

#[test]
fn a_long_list_to_choose_from_scrolls_with_its_selection() {
    let mut h = Harness::sample(120, 12);
    let all: Vec<_> = h.app.lib.ids().collect();
    h.app.popup = Some(baca::tui::app::Popup::Choose {
        title: "Read lately",
        ids: all.clone(),
        selected: 0,
    });
    h.keys("G");
    let last = h.app.lib.article(all[all.len() - 1]).title.clone();
    let shown: String = last.chars().take(25).collect();
    let (row, col) = h.find(&shown);
    // The last entry is on screen, and a click on it opens it.
    h.click(col, row);
    assert_eq!(h.app.open.map(|v| v.id), Some(all[all.len() - 1]));
}

#[test]
fn only_the_users_own_library_decides_what_reopens_next_time() {
    let data = tempfile::tempdir().expect("temp dir");
    for (own, title) in [(true, "Drone Jadi"), (false, "Koridor Lachin")] {
        let mut h = Harness::sample(120, 40);
        let (state, _) = baca::core::state::State::load(data.path());
        let before = state.last_open().map(str::to_owned);
        baca::tui::persist::attach(&mut h.app, state, own);
        h.app.own_session = own;
        h.select_titled(title);
        h.keys("enter");
        let state = h.app.state.as_mut().expect("state");
        let last = state.last_open().map(str::to_owned);
        if own {
            assert!(last.is_some_and(|k| k.contains(title)));
        } else {
            assert!(before.is_some(), "the first round saved one");
            assert_eq!(last, before, "a folder opened by path leaves it alone");
            let key = baca::tui::persist::key(&h.app, h.app.open.expect("open").id);
            let state = h.app.state.as_ref().expect("state");
            assert!(state.is_read(&key), "but the article is marked read");
        }
        h.app.state.as_mut().expect("state").save().expect("save");
    }
}

#[test]
fn q_closes_help_and_ctrl_c_still_quits() {
    let mut h = Harness::sample(120, 40);
    h.keys("? q");
    assert_eq!(h.app.popup, None);
    assert!(!h.app.quit);
    h.keys("? ctrl-c");
    assert!(h.app.quit);
}

#[test]
fn help_wraps_on_a_small_screen_and_scrolls_to_its_last_row() {
    let mut h = Harness::sample(60, 20);
    h.keys("?");
    let s = h.screen();
    assert!(s.contains("\u{2193} more"), "{s}");
    // Scrolled row by row, every word of every description shows: wrapped,
    // none cut.
    let mut seen = String::new();
    for _ in 0..baca::tui::widgets::help::lines(&h.app.keymap).len() * 2 {
        seen.push_str(&h.screen());
        h.keys("j");
    }
    for (_, what) in baca::tui::widgets::help::lines(&h.app.keymap) {
        for word in what.split(' ') {
            assert!(seen.contains(word), "{word:?} of {what:?} never shown");
        }
    }
    h.keys("g");
    let status = h.status();
    assert!(
        status.contains("12 articles"),
        "the status bar stays: {status}"
    );
    h.keys("G");
    let s = h.screen();
    let lines: Vec<&str> = s.lines().collect();
    let bottom = lines
        .iter()
        .rposition(|l| l.contains('\u{2514}'))
        .expect("box bottom");
    let last = baca::tui::widgets::help::lines(&h.app.keymap)
        .last()
        .map(|(_, what)| what.split(' ').next_back().unwrap_or_default())
        .expect("a last line");
    assert!(
        lines[bottom - 1].contains(last),
        "the last row sits at the bottom:\n{s}"
    );
    assert!(!s.contains("\u{2193} more"), "{s}");
}

#[test]
fn status_counts_one_link_and_no_percent_without_a_reader() {
    let dir = folder(&[
        (
            "a.txt",
            "---\ntitle: Satu Tautan\n---\nIsi.\nBaca juga: Tujuan\n",
        ),
        ("b.txt", "---\ntitle: Tujuan\n---\nIsi tujuan.\n"),
    ]);
    let mut h = Harness::new(Library::load(&[dir.path().to_path_buf()]), 60, 20);
    h.select_titled("Satu");
    h.keys("enter");
    let status = h.status();
    assert!(status.contains(" \u{b7} 100% \u{b7} 1 link\""), "{status}");
    h.keys("2");
    let status = h.status();
    assert!(
        status.ends_with(" \u{b7} 1 link\"") && !status.contains('%'),
        "{status}"
    );
}

#[test]
fn open_prompt_completes_browses_and_opens_a_folder() {
    let dir = folder(&[
        (
            "satu.txt",
            "---\ntitle: Artikel Uji Satu\n---\nIsi satu.\nBaca juga: Artikel Uji Dua\n",
        ),
        ("dua.txt", "---\ntitle: Artikel Uji Dua\n---\nIsi dua.\n"),
    ]);
    std::fs::create_dir(dir.path().join("arsip")).expect("mkdir");
    let mut h = Harness::sample(100, 30);
    h.keys("o ctrl-u");
    let base = dir.path().to_string_lossy().into_owned();
    for c in format!("{base}/s").chars() {
        let key = c.to_string();
        h.keys(&key);
    }
    h.keys("tab");
    assert_eq!(
        h.app.prompt.as_ref().map(|p| p.input.clone()),
        Some(format!("{base}/satu.txt"))
    );
    h.keys("ctrl-w");
    let b = h.app.browser.as_ref().expect("browser shown");
    let names: Vec<&str> = b.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["./", "arsip/", "dua.txt", "satu.txt"],
        "folders first"
    );
    let s = h.screen();
    assert!(s.contains("open this folder as the library"), "{s}");
    h.keys("down down down enter");
    assert_eq!(h.app.lib.len(), 2, "the folder became the library");
    let open = h.app.open.expect("the chosen file is open");
    assert_eq!(h.app.lib.article(open.id).title, "Artikel Uji Satu");
    assert!(h.app.back.is_empty(), "history of the old library is gone");
    h.keys("tab enter");
    assert_eq!(
        h.app.lib.article(h.app.open.expect("followed").id).title,
        "Artikel Uji Dua"
    );
}

/// What the reader does when the watcher names `changed`: the library read
/// again and shown. Returns how many articles were read.
fn reload(h: &mut Harness, changed: &[std::path::PathBuf]) -> usize {
    let (lib, changes) =
        baca::core::cache::refresh_changed(&h.app.lib, Some(changed)).expect("files changed");
    let added = changes.added.len();
    let generation = h.app.refreshes;
    update(
        &mut h.app,
        Msg::Reloaded(baca::tui::update::Reload {
            lib: std::sync::Arc::new(lib),
            changes: std::sync::Arc::new(changes),
            generation,
        }),
    );
    added
}

/// A live reload that shifts every article's id (a file sorted first is
/// added) and changes another file keeps what the reader shows: the open
/// article, the way back, the read marks and the headline cursor follow
/// their articles.
#[test]
fn a_reload_keeps_the_open_article_history_and_marks() {
    let dir = folder(&[
        (
            "b.txt",
            "---\ntitle: Gencatan Senjata Disepakati\n---\nIsi.\nBaca juga: Koridor Lachin Dijaga Ketat\n",
        ),
        ("c.txt", "---\ntitle: Koridor Lachin Dijaga Ketat\n---\nJalan dijaga.\n"),
        ("d.txt", "---\ntitle: Sekolah Dibuka Kembali\n---\nMurid datang.\n"),
    ]);
    let roots = vec![dir.path().to_path_buf()];
    let mut h = Harness::new(baca::core::cache::read_all(&roots), 120, 30);
    h.keys("enter tab enter");
    let title_of =
        |app: &App, id: baca::core::article::ArticleId| app.lib.article(id).title.clone();
    let titles_read = |app: &App| {
        let mut t: Vec<String> = app.read.iter().map(|&id| title_of(app, id)).collect();
        t.sort();
        t
    };
    let open = |app: &App| title_of(app, app.open.expect("an article is open").id);
    assert_eq!(open(&h.app), "Koridor Lachin Dijaga Ketat");
    let read = titles_read(&h.app);
    assert_eq!(read.len(), 2, "both opened articles are read");
    h.keys("j");
    let selected = title_of(&h.app, h.app.selected_headline().expect("a headline"));

    std::fs::write(
        dir.path().join("a.txt"),
        "---\ntitle: Awal Cerita\n---\nBaru.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("d.txt"),
        "---\ntitle: Sekolah Dibuka Kembali\n---\nMurid datang lagi.\n",
    )
    .expect("write");
    let added = reload(
        &mut h,
        &[dir.path().join("a.txt"), dir.path().join("d.txt")],
    );
    assert_eq!(added, 2);
    assert_eq!(h.app.lib.len(), 4);
    assert_eq!(open(&h.app), "Koridor Lachin Dijaga Ketat");
    assert_eq!(titles_read(&h.app), read);
    assert_eq!(
        title_of(&h.app, h.app.selected_headline().expect("a headline")),
        selected
    );
    h.keys("backspace");
    assert_eq!(open(&h.app), "Gencatan Senjata Disepakati");
    let s = h.screen();
    assert!(s.contains("Awal Cerita"), "{s}");

    // The open article's own file gets a new title: still open, renamed.
    std::fs::write(
        dir.path().join("b.txt"),
        "---\ntitle: Gencatan Senjata Diperpanjang\n---\nIsi baru.\n",
    )
    .expect("write");
    reload(&mut h, &[dir.path().join("b.txt")]);
    assert_eq!(open(&h.app), "Gencatan Senjata Diperpanjang");
}
