//! Language and script identifiers (ISO 639-1 and ISO 15924 codes).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A writing system, by its ISO 15924 code (which is also its serialized form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Cyrillic.
    Cyrl,
    /// Latin.
    Latn,
    /// Arabic.
    Arab,
    /// Anything else, or no letters at all.
    Zyyy,
}

impl Script {
    /// The ISO 15924 code, e.g. `"Cyrl"`.
    pub fn code(self) -> &'static str {
        match self {
            Script::Cyrl => "Cyrl",
            Script::Latn => "Latn",
            Script::Arab => "Arab",
            Script::Zyyy => "Zyyy",
        }
    }

    /// The script a letter belongs to; digits, punctuation and marks give [`Script::Zyyy`].
    ///
    /// Every stage that walks a text letter by letter asks this, so ASCII, the Latin letters
    /// and the Cyrillic letters are answered by ranges alone; only the rarer blocks look up
    /// the Unicode tables.
    #[inline]
    pub fn of_char(c: char) -> Script {
        match c {
            'a'..='z' | 'A'..='Z' => Script::Latn,
            '\0'..='\u{7F}' => Script::Zyyy,
            '\u{00C0}'..='\u{024F}' if c != '\u{00D7}' && c != '\u{00F7}' => Script::Latn,
            // The Cyrillic block and its supplement are letters, less ҂ and the combining
            // marks 0483–0489.
            '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => Script::Cyrl,
            '\u{1E00}'..='\u{1EFF}' => Script::Latn,
            // IPA extensions hold Azerbaijani ə and other Latin letters.
            '\u{0250}'..='\u{02AF}' => Script::Latn,
            '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' => {
                if c.is_alphabetic() {
                    Script::Cyrl
                } else {
                    Script::Zyyy
                }
            }
            '\u{A640}'..='\u{A69F}' => Script::Cyrl,
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' => {
                if c.is_alphabetic() {
                    Script::Arab
                } else {
                    Script::Zyyy
                }
            }
            _ => Script::Zyyy,
        }
    }
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A code that names no language or script xabar knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code {0:?}")]
pub struct UnknownCode(pub String);

impl FromStr for Script {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "cyrl" | "cyr" | "cyrillic" => Ok(Script::Cyrl),
            "latn" | "lat" | "latin" => Ok(Script::Latn),
            "arab" | "arabic" => Ok(Script::Arab),
            "zyyy" => Ok(Script::Zyyy),
            _ => Err(UnknownCode(s.to_string())),
        }
    }
}

macro_rules! languages {
    ($($variant:ident = $code:literal, $name:literal;)*) => {
        /// A language, by its ISO 639-1 code (which is also its serialized form).
        /// [`Language::Und`] means undetermined.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Language {
            $(
                #[doc = $name]
                $variant,
            )*
        }

        impl Language {
            /// Every language, `Und` last.
            pub const ALL: &'static [Language] = &[$(Language::$variant),*];

            /// The ISO 639-1 code, e.g. `"kk"`; `"und"` for undetermined.
            pub fn code(self) -> &'static str {
                match self { $(Language::$variant => $code,)* }
            }

            /// The English name, e.g. `"Kazakh"`.
            pub fn name(self) -> &'static str {
                match self { $(Language::$variant => $name,)* }
            }
        }

        impl FromStr for Language {
            type Err = UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let lower = s.to_ascii_lowercase();
                $(
                    if lower == $code || lower == $name.to_ascii_lowercase() {
                        return Ok(Language::$variant);
                    }
                )*
                Language::from_iso639_3(&lower).ok_or_else(|| UnknownCode(s.to_string()))
            }
        }
    };
}

languages! {
    Ru = "ru", "Russian";
    Uk = "uk", "Ukrainian";
    Be = "be", "Belarusian";
    Bg = "bg", "Bulgarian";
    Mk = "mk", "Macedonian";
    Sr = "sr", "Serbian";
    Mn = "mn", "Mongolian";
    Kk = "kk", "Kazakh";
    Uz = "uz", "Uzbek";
    Ky = "ky", "Kyrgyz";
    Tg = "tg", "Tajik";
    Tr = "tr", "Turkish";
    Az = "az", "Azerbaijani";
    De = "de", "German";
    En = "en", "English";
    Fr = "fr", "French";
    Es = "es", "Spanish";
    It = "it", "Italian";
    Pl = "pl", "Polish";
    Cs = "cs", "Czech";
    Sl = "sl", "Slovene";
    Ar = "ar", "Arabic";
    Fa = "fa", "Persian";
    Und = "und", "Undetermined";
}

impl Language {
    fn from_iso639_3(code: &str) -> Option<Language> {
        Some(match code {
            "rus" => Language::Ru,
            "ukr" => Language::Uk,
            "bel" => Language::Be,
            "bul" => Language::Bg,
            "mkd" => Language::Mk,
            "srp" => Language::Sr,
            "mon" => Language::Mn,
            "kaz" => Language::Kk,
            "uzb" => Language::Uz,
            "kir" => Language::Ky,
            "tgk" => Language::Tg,
            "tur" => Language::Tr,
            "aze" => Language::Az,
            "deu" | "ger" => Language::De,
            "eng" => Language::En,
            "fra" | "fre" => Language::Fr,
            "spa" => Language::Es,
            "ita" => Language::It,
            "pol" => Language::Pl,
            "ces" | "cze" => Language::Cs,
            "slv" => Language::Sl,
            "ara" => Language::Ar,
            "fas" | "per" | "pes" => Language::Fa,
            _ => return None,
        })
    }

    /// Whether this is a Turkic language (shared morphology: suffix stacking, vowel harmony).
    pub fn is_turkic(self) -> bool {
        matches!(
            self,
            Language::Kk | Language::Uz | Language::Ky | Language::Tr | Language::Az
        )
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

macro_rules! serde_by_code {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_by_code!(Script);
serde_by_code!(Language);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &lang in Language::ALL {
            assert_eq!(lang.code().parse::<Language>().unwrap(), lang);
        }
        assert_eq!("uzb".parse::<Language>().unwrap(), Language::Uz);
        assert!("xx".parse::<Language>().is_err());
        assert_eq!("cyrl".parse::<Script>().unwrap(), Script::Cyrl);
    }

    #[test]
    fn serialized_as_codes() {
        assert_eq!(serde_json::to_string(&Language::Uz).unwrap(), "\"uz\"");
        assert_eq!(serde_json::to_string(&Script::Latn).unwrap(), "\"Latn\"");
        assert_eq!(
            serde_json::from_str::<Language>("\"kk\"").unwrap(),
            Language::Kk
        );
    }

    #[test]
    fn the_cyrillic_and_ascii_ranges_agree_with_the_unicode_tables() {
        for c in ('\0'..='\u{7F}').chain('\u{0400}'..='\u{052F}') {
            let letter = c.is_alphabetic();
            let expected = match c {
                _ if !letter => Script::Zyyy,
                'a'..='z' | 'A'..='Z' => Script::Latn,
                _ => Script::Cyrl,
            };
            assert_eq!(Script::of_char(c), expected, "{c:?}");
        }
    }

    #[test]
    fn scripts_of_letters() {
        assert_eq!(Script::of_char('қ'), Script::Cyrl);
        assert_eq!(Script::of_char('ў'), Script::Cyrl);
        assert_eq!(Script::of_char('ş'), Script::Latn);
        assert_eq!(Script::of_char('ə'), Script::Latn);
        assert_eq!(Script::of_char('7'), Script::Zyyy);
        assert_eq!(Script::of_char('ʻ'), Script::Zyyy);
    }
}
