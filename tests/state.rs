//! The reading state on disk: round trips, crash leftovers, damaged files,
//! and several writers (instances, threads, processes) losing nothing.

use baca::core::article::{Article, Meta};
use baca::core::state::{article_key, State, Warning, HISTORY_LEN, STATE_FILE};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

fn load(dir: &Path) -> State {
    let (state, warnings) = State::load(dir);
    assert_eq!(warnings, vec![], "unexpected warnings");
    state
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn empty_folder_is_empty_state() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("not-yet");
    let state = load(&missing);
    assert!(!state.is_read("a"));
    assert!(state.bookmarks().is_empty());
    assert_eq!(state.last_open(), None);
    assert!(!state.has_changes());
}

#[test]
fn round_trip_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data"); // created by save
    let before = SystemTime::now() - Duration::from_secs(1);
    {
        let mut s = load(&data);
        s.set_read("a", true);
        assert!(s.toggle_bookmark("b"));
        s.set_position("a", 17);
        s.record_open("c");
        s.push_history("a");
        s.push_history("b");
        assert!(s.has_changes());
        assert_eq!(s.save().unwrap(), vec![]);
        assert!(!s.has_changes());
    }
    let s = load(&data);
    assert!(s.is_read("a"));
    assert!(!s.is_read("b"));
    assert!(s.is_read("c"), "opening marks read");
    assert_eq!(s.read_keys().collect::<Vec<_>>(), vec!["a", "c"]);
    assert!(s.is_bookmarked("b"));
    let marks = s.bookmarks();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].0, "b");
    assert!(marks[0].1 >= before);
    assert_eq!(s.position("a"), Some(17));
    assert_eq!(s.position("b"), None);
    assert_eq!(s.history(), vec!["a", "b"]);
    assert_eq!(s.last_open(), Some("c"));
    assert_eq!(
        s.recent(10).iter().map(|r| r.0).collect::<Vec<_>>(),
        vec!["c"]
    );
    assert!(s.opened("c").is_some_and(|t| t >= before));
    assert_eq!(files_in(&data), vec!["state.json", "state.json.lock"]);
    // One article per line, so the file can be read and grepped.
    let text = std::fs::read_to_string(data.join(STATE_FILE)).unwrap();
    let line = text.lines().find(|l| l.starts_with("\"a\":")).unwrap();
    assert!(line.contains("\"position\":[17,"), "{text}");
}

#[test]
fn toggles_and_clears() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = load(dir.path());
    assert!(s.toggle_read("a"));
    assert!(!s.toggle_read("a"));
    assert!(s.toggle_bookmark("a"));
    assert!(!s.toggle_bookmark("a"));
    s.set_last_open(Some("a"));
    s.set_last_open(None);
    s.save().unwrap();
    let s = load(dir.path());
    assert!(!s.is_read("a"));
    assert!(!s.is_bookmarked("a"));
    assert!(s.bookmarks().is_empty());
    assert_eq!(s.last_open(), None);
}

#[test]
fn recent_is_newest_first_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = load(dir.path());
    for key in ["a", "b", "c", "a"] {
        s.mark_opened(key);
    }
    let keys: Vec<&str> = s.recent(10).iter().map(|r| r.0).collect();
    assert_eq!(keys, vec!["a", "c", "b"]);
    assert_eq!(s.recent(2).len(), 2);
}

#[test]
fn history_keeps_the_last_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = load(dir.path());
    for i in 0..HISTORY_LEN + 30 {
        s.push_history(&format!("k{i}"));
    }
    s.save().unwrap();
    let s = load(dir.path());
    let h = s.history();
    assert_eq!(h.len(), HISTORY_LEN);
    assert_eq!(h[0], "k30");
    assert_eq!(h[HISTORY_LEN - 1], format!("k{}", HISTORY_LEN + 29));
}

#[test]
fn a_crash_before_the_rename_leaves_the_old_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = load(dir.path());
    s.set_read("kept", true);
    s.save().unwrap();
    // What a kill between writing the temporary file and renaming it
    // leaves behind: a half-written file beside the real one.
    std::fs::write(
        dir.path().join("state.json.tmp"),
        "{\"articles\": {\"lost\"",
    )
    .unwrap();
    let s = load(dir.path());
    assert!(s.is_read("kept"));
    assert!(!s.is_read("lost"));
    assert_eq!(files_in(dir.path()), vec!["state.json", "state.json.lock"]);
}

#[test]
fn a_damaged_file_is_moved_aside_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = "{\"version\": 1, \"articles\": {\"a\": {\"read\": tru";
    std::fs::write(dir.path().join(STATE_FILE), damaged).unwrap();
    let (mut s, warnings) = State::load(dir.path());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let Warning::Corrupt { moved_to, .. } = &warnings[0] else {
        panic!("expected Corrupt, got {warnings:?}");
    };
    assert_eq!(
        std::fs::read_to_string(moved_to).unwrap(),
        damaged,
        "kept byte for byte"
    );
    let name = moved_to.file_name().unwrap().to_string_lossy();
    assert!(name.starts_with("state.json.corrupt-"), "{name}");
    assert!(warnings[0].to_string().contains(&*name), "{}", warnings[0]);
    assert!(!dir.path().join(STATE_FILE).exists());
    assert!(!s.is_read("a"));

    // The app goes on, and the next save neither fails nor touches the copy.
    s.set_read("b", true);
    assert_eq!(s.save().unwrap(), vec![]);
    assert!(load(dir.path()).is_read("b"));
    assert_eq!(std::fs::read_to_string(moved_to).unwrap(), damaged);
}

#[test]
fn valid_json_of_the_wrong_shape_is_damaged_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(STATE_FILE), "[1, 2, 3]").unwrap();
    let (_, warnings) = State::load(dir.path());
    assert!(
        matches!(warnings.as_slice(), [Warning::Corrupt { .. }]),
        "{warnings:?}"
    );
}

#[test]
fn a_file_damaged_while_running_is_moved_aside_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = load(dir.path());
    std::fs::write(dir.path().join(STATE_FILE), "not json").unwrap();
    s.set_read("a", true);
    let warnings = s.save().unwrap();
    assert!(
        matches!(warnings.as_slice(), [Warning::Corrupt { .. }]),
        "{warnings:?}"
    );
    assert!(load(dir.path()).is_read("a"));
}

#[test]
fn two_instances_merge_their_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut one = load(dir.path());
    let mut two = load(dir.path());
    // Different articles, and different fields of the same article.
    one.set_read("a", true);
    one.set_position("shared", 5);
    one.push_history("a");
    two.toggle_bookmark("b");
    two.set_read("shared", true);
    two.push_history("b");
    one.save().unwrap();
    two.save().unwrap();
    // The second save also brought the first one's changes into view.
    assert!(two.is_read("a"));
    let s = load(dir.path());
    assert!(s.is_read("a"));
    assert!(s.is_bookmarked("b"));
    assert_eq!(s.position("shared"), Some(5));
    assert!(s.is_read("shared"));
    assert_eq!(s.history(), vec!["a", "b"]);
}

#[test]
fn the_later_change_to_one_field_wins_whoever_saves_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut early = load(dir.path());
    let mut late = load(dir.path());
    early.set_position("a", 1);
    std::thread::sleep(Duration::from_millis(5));
    late.set_position("a", 2);
    late.save().unwrap();
    early.save().unwrap();
    assert_eq!(load(dir.path()).position("a"), Some(2));
    assert_eq!(
        early.position("a"),
        Some(2),
        "the saver sees the merged state"
    );
}

#[test]
fn a_change_made_after_seeing_another_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut one = load(dir.path());
    one.set_bookmark("a", true);
    one.save().unwrap();
    let mut two = load(dir.path());
    assert!(two.is_bookmarked("a"));
    two.set_bookmark("a", false);
    two.save().unwrap();
    one.set_read("other", true);
    one.save().unwrap();
    assert!(!load(dir.path()).is_bookmarked("a"));
}

/// Each writer saves after every change, as the reader does.
#[test]
fn changes_made_while_a_write_is_under_way_wait_for_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut other = load(dir.path());
    other.set_read("theirs", true);
    other.save().unwrap();

    let mut s = load(dir.path());
    s.set_read("a", true);
    let pending = s.take_pending().expect("a change to write");
    assert!(!s.has_changes(), "the change went with the write");
    // Made while the write runs (on another thread in the reader).
    s.set_bookmark("b", true);
    let written = std::thread::spawn(move || {
        let w = pending.write();
        (pending, w)
    });
    let (pending, w) = written.join().unwrap();
    assert_eq!(s.finish(pending, w).unwrap(), vec![]);
    assert!(s.is_read("a") && s.is_bookmarked("b") && s.is_read("theirs"));
    assert!(s.has_changes(), "the bookmark is still to be saved");

    let on_disk = load(dir.path());
    assert!(on_disk.is_read("a"));
    assert!(!on_disk.is_bookmarked("b"), "not written yet");
    s.save().unwrap();
    assert!(load(dir.path()).is_bookmarked("b"));
}

#[test]
fn a_write_that_fails_keeps_its_changes_for_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the state's folder should be: nothing can be written.
    let blocked = dir.path().join("data");
    std::fs::write(&blocked, "not a folder").unwrap();
    let (mut s, _unreadable) = State::load(&blocked);
    s.set_read("a", true);
    let pending = s.take_pending().unwrap();
    s.push_history("b");
    let w = pending.write();
    assert!(s.finish(pending, w).is_err());
    assert!(s.has_changes());

    std::fs::remove_file(&blocked).unwrap();
    s.save().unwrap();
    let on_disk = load(&blocked);
    assert!(
        on_disk.is_read("a"),
        "the failed write's change is saved later"
    );
    assert_eq!(on_disk.history(), vec!["b"]);
}

fn write_many(dir: &Path, who: &str, n: usize) {
    let (mut s, warnings) = State::load(dir);
    assert_eq!(warnings, vec![]);
    for i in 0..n {
        let key = format!("{who}-{i}");
        s.record_open(&key);
        s.set_position("shared", i);
        if i % 2 == 0 {
            s.toggle_bookmark(&key);
        }
        s.push_history(&key);
        s.save().unwrap_or_else(|e| panic!("{who} save {i}: {e}"));
    }
}

fn assert_all_there(dir: &Path, writers: &[&str], n: usize) {
    let s = load(dir);
    let history = s.history();
    for who in writers {
        for i in 0..n {
            let key = format!("{who}-{i}");
            assert!(s.is_read(&key), "{key} read mark lost");
            assert!(s.opened(&key).is_some(), "{key} opening lost");
            assert_eq!(s.is_bookmarked(&key), i % 2 == 0, "{key} bookmark");
            assert!(history.contains(&key.as_str()), "{key} history entry lost");
        }
    }
    assert_eq!(history.len(), writers.len() * n);
    assert!(s.position("shared").is_some_and(|p| p < n));
}

#[test]
fn concurrent_threads_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let writers = ["t0", "t1", "t2", "t3"];
    std::thread::scope(|scope| {
        for who in writers {
            let dir = dir.path();
            scope.spawn(move || write_many(dir, who, 50));
        }
    });
    assert_all_there(dir.path(), &writers, 50);
}

const CHILD_ENV: &str = "BACA_TEST_STATE_CHILD_DIR";

/// Runs as the parent and, re-executed with `CHILD_ENV` set, as the child:
/// two real processes saving into one folder at once.
#[test]
fn concurrent_processes_lose_nothing() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        write_many(Path::new(&dir), "child", 50);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let child = Command::new(exe)
        .args([
            "--exact",
            "concurrent_processes_lose_nothing",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    write_many(dir.path(), "parent", 50);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "child writer failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_all_there(dir.path(), &["parent", "child"], 50);
}

const KILL_ENV: &str = "BACA_TEST_STATE_KILLED_DIR";

/// A child saves in a loop and says after each save what it saved; it is
/// killed with SIGKILL at some point. Everything it said it saved is there
/// and the file is whole.
#[test]
fn kill_9_loses_at_most_the_change_being_written() {
    if let Some(dir) = std::env::var_os(KILL_ENV) {
        let (mut s, _) = State::load(Path::new(&dir));
        let mut out = std::io::stdout();
        let start = s.history().len();
        for i in start..start + 5000 {
            s.set_position(&format!("k{i}"), i);
            s.push_history(&format!("k{i}"));
            s.save().unwrap();
            writeln!(out, "saved {i}").unwrap();
            out.flush().unwrap();
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged = Vec::new();
    for round in 0..4 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "kill_9_loses_at_most_the_change_being_written",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(KILL_ENV, dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        for line in lines {
            let line = line.unwrap();
            if let Some(i) = line.strip_prefix("saved ") {
                acknowledged.push(i.parse::<usize>().unwrap());
                seen += 1;
                if seen == 3 + round * 5 {
                    break;
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let (s, warnings) = State::load(dir.path());
        assert_eq!(warnings, vec![], "round {round}");
        for &i in &acknowledged {
            assert_eq!(
                s.position(&format!("k{i}")),
                Some(i),
                "round {round}: k{i} lost"
            );
        }
        assert!(!dir.path().join("state.json.tmp").exists());
    }
}

#[test]
fn article_keys_are_stable() {
    let mut a = Article {
        title: "Judul".into(),
        origin: "lib/a.txt".into(),
        ..Article::default()
    };
    assert_eq!(article_key(&a), "lib/a.txt#Judul");
    a.meta = Meta {
        date: Some("2020-11-16".into()),
        ..Meta::default()
    };
    let dated = article_key(&a);
    a.origin = "./other/path/a.txt".into();
    assert_eq!(article_key(&a), dated, "the folder's name does not matter");
    a.meta.url = Some(" https://example.com/x ".into());
    assert_eq!(article_key(&a), "https://example.com/x");
}

#[test]
fn a_fifo_as_state_json_is_reported_without_blocking_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(STATE_FILE);
    let ok = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(ok.success());
    let (mut state, warnings) = State::load(dir.path());
    assert!(
        matches!(&warnings[..], [Warning::Unreadable { reason, .. }] if reason.contains("FIFO")),
        "{warnings:?}"
    );
    state.set_read("a", true);
    assert!(state.save().is_err(), "saving over what it cannot read");
    let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
    assert!(!kind.is_file(), "the FIFO is still there");
}

#[test]
fn a_stamp_of_u64_max_does_not_swallow_the_next_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(STATE_FILE),
        format!(
            "{{\"version\":1,\"articles\":{{\"a\":{{\"bookmark\":[true,{}]}}}}}}",
            u64::MAX
        ),
    )
    .unwrap();
    let mut s = load(dir.path());
    assert!(s.is_bookmarked("a"));
    assert!(!s.toggle_bookmark("a"));
    assert_eq!(s.save().unwrap(), vec![]);
    assert!(!s.is_bookmarked("a"), "as seen by this process");
    assert!(!load(dir.path()).is_bookmarked("a"), "as saved");
}
