use xabar_core::{Language, Script};
use xabar_text::{stem::stemmer, token::{tokenize, lowercase}, translit::key};
fn main() {
    let cases = [(Language::Ru,Script::Cyrl,"Путина Токаевым Москвы Ташкенте Касым-Жомарта Хабаровского 25 000 5,6 2025-yil"),
      (Language::Uz,Script::Cyrl,"Тўқаевнинг Тошкентда Остонага Қосим-Жомарт Мирзиёев Сирдарё Қозоғистон маълумот"),
      (Language::Uz,Script::Latn,"Toʻqayevning Toshkentda Ostonaga Qosim-Jomart Mirziyoyev Sirdaryo Qozogʻiston maʼlumot"),
      (Language::De,Script::Latn,"Toqajew Tokajew Moskaus Taschkent Kasachstan Wladimir Putin 25.000"),
      (Language::En,Script::Latn,"Tokayev's Moscow Tashkent Kazakhstan Vladimir Putin Khabarovsk Degtyarev"),
      (Language::Kk,Script::Cyrl,"Тоқаевқа Мәскеу Қазақстан Ташкент"),
      (Language::Kk,Script::Latn,"Qazaqstandyq Türkıstan Nūrmağanbetov"),
    ];
    for (l,s,t) in cases {
        let st = stemmer(l,s);
        for tok in tokenize(t) {
            let low = lowercase(tok.text,l);
            let stem = st.map(|st| st.stem(&low).into_owned()).unwrap_or(low.to_string());
            print!("{}[{:?}] {} {} | ", tok.text, tok.kind, key(&low), key(&stem));
        }
        println!();
    }
    let n = 200000; let t = std::time::Instant::now(); let mut x=0;
    for i in 0..n { x += key(if i%2==0 {"Тоқаевқа"} else {"Kasachstan"}).len(); }
    println!("key {:?}/call {}", t.elapsed()/n, x);
    let st = stemmer(Language::Ru,Script::Cyrl).unwrap();
    let t = std::time::Instant::now();
    for i in 0..n { x += st.stem(if i%2==0 {"токаевым"} else {"водохранилище"}).len(); }
    println!("stem {:?}/call {}", t.elapsed()/n, x);
}
