use serde::{Deserialize, Serialize};

/// The languages the whole UI is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Zh];

    /// The BCP 47 tag, as used in `<html lang>` and the database.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Zh => "zh",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Zh => "中文",
        }
    }

    /// Accepts `en`, `zh` and regional forms such as `en-GB` or `zh-Hans-CN`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "zh" => Some(Locale::Zh),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring
    /// q-values; `None` when the browser asks for nothing we speak.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::from_tag) else {
                continue;
            };
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality_supported_language() {
        assert_eq!(Locale::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Some(Locale::Zh));
        assert_eq!(Locale::from_accept_language("fr-FR, en;q=0.5, zh;q=0.4"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("de, fr"), None);
        assert_eq!(Locale::from_accept_language("en;q=0, zh;q=0.1"), Some(Locale::Zh));
        assert_eq!(Locale::from_accept_language(""), None);
    }
}
