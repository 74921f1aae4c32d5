//! Slugs: the readable, URL-safe names of creators, products and categories.

use uuid::Uuid;

pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// The slug to start from for a new name: its words, at most 60 characters, or
/// `{prefix}-{8 hex digits of the id}` when the name has no Latin letters or digits.
pub fn slug_base(name: &str, prefix: &str, id: Uuid) -> String {
    match slugify(name) {
        s if s.is_empty() => format!("{prefix}-{}", &id.simple().to_string()[..8]),
        s => s.chars().take(60).collect::<String>().trim_end_matches('-').to_owned(),
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not `taken`.
pub fn first_free(base: String, taken: &[String]) -> String {
    (1..)
        .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
        .find(|s| !taken.contains(s))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_slugs_take_the_first_free_number() {
        let id = Uuid::nil();
        assert_eq!(slug_base("Kestrel Works GmbH", "creator", id), "kestrel-works-gmbh");
        assert_eq!(slug_base("北极星无人机", "creator", id), "creator-00000000");
        let taken = vec!["kestrel".to_owned(), "kestrel-2".to_owned()];
        assert_eq!(first_free("kestrel".to_owned(), &taken), "kestrel-3");
        assert_eq!(first_free("heron".to_owned(), &taken), "heron");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Mia's Kestrel Workshop"), "mia-s-kestrel-workshop");
        assert_eq!(slugify("  Kestrel M30 Pro!! "), "kestrel-m30-pro");
    }
}
