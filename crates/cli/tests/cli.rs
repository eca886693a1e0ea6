//! End-to-end tests of the `xabar` binary: the seed articles, bad input, standard input,
//! output order, and `translit`. Seeds are read from `../shared/corpus/seeds/` (skipped with a
//! note when it is missing); everything else is made here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn xabar(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xabar"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xabar runs");
    if let Some(bytes) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(bytes)
            .expect("write stdin");
    }
    child.wait_with_output().expect("xabar finishes")
}

fn articles(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn seeds_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} is missing; seed tests skipped", dir.display());
        None
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xabar-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn seeds_have_the_right_language_script_date_and_outlet() {
    let Some(dir) = seeds_dir() else { return };
    let output = xabar(&["analyze", dir.to_str().unwrap()], None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found = articles(&output);
    assert_eq!(found.len(), 5);
    let expected = [
        ("uz", "Cyrl"),
        ("kk", "Cyrl"),
        ("uz", "Cyrl"),
        ("de", "Latn"),
        ("ru", "Cyrl"),
    ];
    for (article, (language, script)) in found.iter().zip(expected) {
        assert_eq!(article["language"], language, "{}", article["source"]);
        assert_eq!(article["script"], script, "{}", article["source"]);
        for paragraph in article["paragraphs"].as_array().unwrap() {
            assert_eq!(paragraph["script"], script);
        }
        let id = article["id"].as_str().unwrap();
        assert_eq!(id.len(), 16);
    }
    assert_eq!(found[1]["published"], "2025-10-09");
    assert_eq!(found[2]["published"], "2025-11-10");
    assert_eq!(found[2]["outlet"], "Kazinform");
    assert_eq!(found[0]["published"], Value::Null);
    let text_004 = found[4]["text"].as_str().unwrap();
    for clutter in [
        "13345 просмотров",
        "Все видео",
        "реклама",
        "COP29",
        "© Фото",
    ] {
        assert!(!text_004.contains(clutter), "{clutter}");
    }
}

#[test]
fn ids_are_stable_and_output_keeps_input_order_on_any_thread_count() {
    let Some(dir) = seeds_dir() else { return };
    let one = xabar(&["analyze", "--threads", "1", dir.to_str().unwrap()], None);
    let two = xabar(&["analyze", "--threads", "2", dir.to_str().unwrap()], None);
    assert_eq!(one.stdout, two.stdout);
    let sources: Vec<String> = articles(&one)
        .iter()
        .map(|a| a["source"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted, "folders are read in name order");
}

#[test]
fn bad_input_is_reported_and_the_run_goes_on() {
    let dir = temp_dir("bad");
    std::fs::write(
        dir.join("a_good.txt"),
        "The council met on Monday and agreed on a new budget for the city.\n",
    )
    .unwrap();
    std::fs::write(dir.join("b_binary.txt"), b"\x7fELF\x00\x01\x02binary").unwrap();
    std::fs::write(
        dir.join("c_latin1.txt"),
        b"caf\xe9 au lait, s'il vous pla\xeet, tr\xe8s bien.",
    )
    .unwrap();
    std::fs::write(dir.join("d_empty.txt"), b"  \n").unwrap();
    std::fs::write(
        dir.join("e_dump.jsonl"),
        "{\"text\": \"Der Rat hat am Montag einen neuen Haushalt beschlossen, sagte die Sprecherin.\", \"url\": \"https://example.org/1\", \"published\": \"2025-03-14\"}\n\
         {\"text\": \"broken\n\
         {\"url\": \"https://example.org/3\"}\n\
         {\"text\": \"Another article with a date that cannot be read by anyone at all.\", \"published\": \"someday\"}\n",
    )
    .unwrap();
    std::fs::write(dir.join("f_image.png"), b"\x89PNG\r\n").unwrap();
    let output = xabar(&["analyze", dir.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let found = articles(&output);
    assert_eq!(found.len(), 4, "{stderr}");
    // A Latin-1 file is decoded (windows-1252 is its superset) with a warning, not skipped.
    let latin1 = found[1]["text"].as_str().unwrap_or_default();
    assert!(
        latin1.starts_with("café au lait") && latin1.ends_with("plaît, très bien."),
        "{latin1}"
    );
    assert_eq!(found[2]["published"], "2025-03-14");
    assert_eq!(found[2]["url"], "https://example.org/1");
    assert_eq!(found[2]["language"], "de");
    assert_eq!(found[3]["published"], Value::Null);
    let path = |name: &str| dir.join(name).display().to_string();
    assert!(
        stderr.contains(&format!("{}: binary data", path("b_binary.txt"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: {}: not UTF-8; decoded as windows-1252, a guess",
            path("c_latin1.txt")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: empty", path("d_empty.txt"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}:2: malformed JSON", path("e_dump.jsonl"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}:3: no `text` or `html` field",
            path("e_dump.jsonl")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}:4: `published` \"someday\"",
            path("e_dump.jsonl")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: not an article file", path("f_image.png"))),
        "{stderr}"
    );
    assert!(stderr.contains("4 articles read"), "{stderr}");
    assert!(stderr.contains("5 skipped"), "{stderr}");
}

#[test]
fn nothing_readable_is_a_failure() {
    let dir = temp_dir("nothing");
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    let output = xabar(&["analyze", dir.to_str().unwrap()], None);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("empty"));
    let missing = xabar(&["analyze", "/nonexistent/xabar/path"], None);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/xabar/path: cannot read")
    );
}

#[test]
fn standard_input_text_and_jsonl() {
    let text = "date 2025-03-12\nТошкентда сув ва энергетика бўйича музокаралар бўлиб ўтди, деб хабар берди агентлик.\n";
    let output = xabar(&["analyze"], Some(text.as_bytes()));
    let found = articles(&output);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["source"], "-");
    assert_eq!(found[0]["published"], "2025-03-12");
    assert_eq!(found[0]["language"], "uz");
    assert_eq!(found[0]["script"], "Cyrl");

    let jsonl = "{\"text\": \"Oʻzbekiston va Qozogʻiston suv boʻyicha kelishuvga erishdi, dedi vazir.\"}\n{\"text\": \"Kazakhstan and Uzbekistan agreed on water sharing, the minister said.\"}\n";
    let output = xabar(&["analyze", "-"], Some(jsonl.as_bytes()));
    let found = articles(&output);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["source"], "-:1");
    assert_eq!(
        (found[0]["language"].as_str(), found[0]["script"].as_str()),
        (Some("uz"), Some("Latn"))
    );
    assert_eq!(found[1]["language"], "en");
}

#[test]
fn apostrophe_variants_normalize_to_one_form() {
    let text = "O'zbekiston, O‘zbekiston va Oʼzbekiston bir xil yoziladi, degan xulosaga keldi mutaxassislar.";
    let output = xabar(&["analyze"], Some(text.as_bytes()));
    let found = articles(&output);
    assert_eq!(
        found[0]["text"]
            .as_str()
            .unwrap()
            .matches("Oʻzbekiston")
            .count(),
        3
    );
}

#[test]
fn translit_arguments_stdin_and_keys() {
    let output = xabar(
        &[
            "translit",
            "--lang",
            "uz",
            "--to",
            "latn",
            "Тошкент",
            "шаҳри",
        ],
        None,
    );
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "Toshkent shahri\n");

    let output = xabar(
        &["translit", "--lang", "uz", "--to", "cyrl"],
        Some("Oʻzbekiston Respublikasi\nToshkent".as_bytes()),
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Ўзбекистон Республикаси\nТошкент\n"
    );

    let output = xabar(
        &[
            "translit",
            "--key",
            "Тоқаев",
            "Тўқаев",
            "Токаев",
            "Toqajew",
            "Tokayev",
            "Tokaev",
        ],
        None,
    );
    let keys: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(keys.len(), 6);
    // Equal or near-equal, as the matcher compares them.
    for key in &keys {
        let similarity = xabar_text::translit::key_similarity(&keys[0], key);
        assert!(
            similarity >= xabar_text::translit::KEY_MATCH_THRESHOLD,
            "{keys:?}"
        );
    }

    let output = xabar(&["translit", "--to", "latn", "Тошкент"], None);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--lang"));
    let output = xabar(&["translit", "--lang", "de", "--to", "latn", "x"], None);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no transliteration"));
}
