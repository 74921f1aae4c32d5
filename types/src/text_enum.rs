//! Enums stored and sent as text. Each derives its names with `strum`
//! (`IntoStaticStr`, `EnumString`, `VariantArray`, with `serialize_all` and, where a
//! stored name differs, `serialize` on the variant); this trait gives them all the
//! same three words. The database's own lists are checked against them by a test
//! (`server/tests/api/stored_names.rs`).

use std::str::FromStr;

use strum::VariantArray;

pub trait TextEnum: Copy + 'static + VariantArray + Into<&'static str> + FromStr {
    /// Every value, in declaration order.
    const ALL: &'static [Self] = Self::VARIANTS;

    /// The stored and sent name.
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// The value a stored or sent name stands for; `None` for any other text.
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl<T: Copy + 'static + VariantArray + Into<&'static str> + FromStr> TextEnum for T {}
