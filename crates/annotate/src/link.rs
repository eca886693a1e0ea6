//! (in progress)

#[cfg(test)]
mod explore {
    use xabar_core::Language;
    use crate::ner::Tagger;

    #[test]
    #[ignore]
    fn explore_tagger() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
        let langs = [Language::Uz, Language::Kk, Language::Uz, Language::De, Language::Ru];
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for (f, lang) in files.iter().zip(langs) {
            let raw = std::fs::read_to_string(f).unwrap();
            let text = xabar_text::normalize::normalize(&raw).text;
            println!("=== {}", f.display());
            let t = std::time::Instant::now();
            let spans = Tagger::global().tag(&text, lang);
            let el = t.elapsed();
            for s in &spans {
                print!("[{}:{:?}] ", &text[s.span.start..s.span.end], s.kind);
            }
            println!("\n{} bytes in {:?}", text.len(), el);
        }
    }
}
