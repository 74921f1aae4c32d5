//! Words: Chinese segmentation, the text a product is found by, and marking the words
//! of a query in a result.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use types::catalog::Marked;

/// Loading the dictionary takes a moment; it is done once per process.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF))
}

/// Text for the index: Chinese is cut into words and their shorter parts
/// (航拍无人机 → 航拍 无人 人机 无人机), so a query for any of them finds it.
pub fn segment_for_index(text: &str) -> String {
    if !has_cjk(text) {
        return text.to_owned();
    }
    join_words(JIEBA.cut_for_search(text, true).iter().map(|t| t.word))
}

/// A query's words: the precise cut, so 航拍无人机 asks for 航拍 and 无人机.
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for piece in query.split_whitespace() {
        let tokens: Vec<&str> =
            if has_cjk(piece) { JIEBA.cut(piece, true).into_iter().map(|t| t.word).collect() } else { vec![piece] };
        for token in tokens {
            let word: String = token
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .collect::<String>()
                .trim_matches('-')
                .to_lowercase();
            if !word.is_empty() && !words.contains(&word) {
                words.push(word);
            }
        }
    }
    words
}

fn join_words<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.map(str::trim).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// What a product is found by, by weight: names above labels (tags, category,
/// creator) above specification words above descriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchText {
    pub names: String,
    pub labels: String,
    pub specs: String,
    pub body: String,
}

/// The product fields [`SearchText`] is made from.
pub struct Searchable<'a> {
    pub name_en: &'a str,
    pub name_zh: &'a str,
    pub summary_en: &'a str,
    pub summary_zh: &'a str,
    pub description_en: &'a str,
    pub description_zh: &'a str,
    pub tags: &'a [String],
    pub features: &'a [String],
    pub compatibility: &'a [String],
    pub ip_rating: Option<&'a str>,
    pub creator_name: &'a str,
    pub category_names: [&'a str; 4],
}

impl SearchText {
    pub fn of(p: &Searchable<'_>) -> SearchText {
        let seg = segment_for_index;
        let mut labels: Vec<String> = p.tags.iter().map(|t| seg(t)).collect();
        labels.push(seg(p.creator_name));
        labels.extend(p.category_names.iter().map(|c| seg(c)));
        let mut specs: Vec<String> = p.features.iter().chain(p.compatibility).map(|s| seg(s)).collect();
        specs.extend(p.ip_rating.map(str::to_owned));
        SearchText {
            names: format!("{} {}", p.name_en, seg(p.name_zh)),
            labels: labels.join(" "),
            specs: specs.join(" "),
            body: [p.summary_en, &seg(p.summary_zh), p.description_en, &seg(p.description_zh)].join(" "),
        }
    }

    /// Lower-case Latin words worth suggesting as spellings: from names, labels and
    /// specs, three letters or more.
    pub fn vocabulary(&self) -> impl Iterator<Item = String> + '_ {
        [&self.names, &self.labels, &self.specs].into_iter().flat_map(|text| {
            text.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_alphabetic()))
                .map(str::to_ascii_lowercase)
        })
    }
}

/// Splits `text` into runs, marking every occurrence of a query word (case-insensitive;
/// an English plural or `-ing` form matches its stem too).
pub fn mark(text: &str, words: &[String]) -> Vec<Marked> {
    let needles: Vec<String> = words.iter().flat_map(|w| needles_for(w)).collect();
    if text.is_empty() {
        return Vec::new();
    }
    if needles.is_empty() {
        return vec![Marked { text: text.to_owned(), hit: false }];
    }
    // ASCII lower-casing keeps byte offsets aligned with `text`.
    let lower = text.to_ascii_lowercase();
    let mut hits = vec![false; text.len()];
    for needle in &needles {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(needle.as_str()) {
            let start = from + pos;
            hits[start..start + needle.len()].iter_mut().for_each(|h| *h = true);
            from = start + needle.len();
        }
    }
    let mut out: Vec<Marked> = Vec::new();
    let mut start = 0;
    for (i, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
        if i == text.len() || hits[i] != hits[start] {
            out.push(Marked { text: text[start..i].to_owned(), hit: hits[start] });
            start = i;
        }
    }
    out
}

fn needles_for(word: &str) -> Vec<String> {
    let word = word.to_ascii_lowercase();
    if word.chars().count() < 2 && !has_cjk(&word) {
        return Vec::new();
    }
    let stems: Vec<String> = ["ing", "es", "s"]
        .iter()
        .filter_map(|suffix| word.strip_suffix(suffix).filter(|s| s.len() >= 3).map(str::to_owned))
        .collect();
    let mut needles = vec![word];
    needles.extend(stems);
    needles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_cut_into_words_for_the_index_and_the_query() {
        let indexed = segment_for_index("专业航拍无人机");
        for word in ["航拍", "无人机"] {
            assert!(indexed.split(' ').any(|w| w == word), "{indexed}");
        }
        assert_eq!(query_words("航拍无人机"), ["航拍", "无人机"]);
    }

    #[test]
    fn query_words_drop_punctuation_and_duplicates() {
        assert_eq!(query_words("  FPV, fpv <script>  IP-67! "), ["fpv", "script", "ip-67"]);
        assert!(query_words("'; drop table --").contains(&"drop".to_owned()));
        assert!(query_words("%%% ___").iter().all(|w| !w.contains('%')));
    }

    #[test]
    fn marks_cover_matched_words_in_either_language() {
        let marked = mark("Falcon Mapping Drone", &["drones".to_owned()]);
        let hits: Vec<&str> = marked.iter().filter(|m| m.hit).map(|m| m.text.as_str()).collect();
        assert_eq!(hits, ["Drone"]);
        let zh = mark("专业航拍无人机", &["航拍".to_owned()]);
        assert_eq!(
            zh.iter().map(|m| (m.text.as_str(), m.hit)).collect::<Vec<_>>(),
            [("专业", false), ("航拍", true), ("无人机", false)]
        );
        assert!(mark("", &["kestrel".to_owned()]).is_empty());
        let plain = mark("Kestrel", &[]);
        assert_eq!(plain, vec![Marked { text: "Kestrel".into(), hit: false }]);
    }
}
