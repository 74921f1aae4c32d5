//! The shopping cart as the customer sees it: current prices, what changed since
//! each line was added, and the split per creator that checkout will make.

use serde::{Deserialize, Serialize};

use crate::{catalog::Money, ids::ProductId};

/// Most of one product a cart line may hold.
pub const MAX_QUANTITY: i32 = 99;

/// Why a line needs the customer's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LineNotice {
    /// The price moved since the line was added (the line shows the new one).
    PriceChanged {
        was: Money,
    },
    /// Fewer are left than the line asks for; checkout will take `available`.
    OnlyLeft {
        available: i32,
    },
    SoldOut,
    /// The product left the store (archived or withdrawn).
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: ProductId,
    pub slug: String,
    pub name: String,
    pub image_url: String,
    pub unit_price: Money,
    pub quantity: i32,
    pub available: i32,
    pub notice: Option<LineNotice>,
}

impl CartLine {
    /// Whether checkout would buy this line.
    pub fn buyable(&self) -> bool {
        !matches!(self.notice, Some(LineNotice::SoldOut | LineNotice::Unavailable))
    }

    /// What checkout would charge for it: never more than is in stock.
    pub fn total(&self) -> Money {
        let quantity = if self.buyable() { self.quantity.min(self.available).max(0) } else { 0 };
        Money::new(self.unit_price.minor * i64::from(quantity), self.unit_price.currency.clone())
    }
}

/// One creator's lines: checkout makes one sub-order of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartGroup {
    pub creator_name: String,
    pub creator_slug: String,
    pub lines: Vec<CartLine>,
}

impl CartGroup {
    pub fn subtotal(&self) -> Money {
        sum(self.lines.iter().map(CartLine::total))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub groups: Vec<CartGroup>,
}

impl CartView {
    /// Items in the cart (the header's count).
    pub fn count(&self) -> u32 {
        self.lines().map(|l| l.quantity.max(0) as u32).sum()
    }

    pub fn lines(&self) -> impl Iterator<Item = &CartLine> {
        self.groups.iter().flat_map(|g| g.lines.iter())
    }

    pub fn total(&self) -> Money {
        sum(self.groups.iter().map(CartGroup::subtotal))
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// The catalog sells in one currency (USD) today; amounts in another would be a bug
/// upstream, so they are summed only with their own kind and the first one wins.
fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    let mut total: Option<Money> = None;
    for m in amounts {
        match &mut total {
            None => total = Some(m),
            Some(t) if t.currency == m.currency => t.minor += m.minor,
            Some(_) => {}
        }
    }
    total.unwrap_or_else(|| Money::new(0, "USD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(price: i64, quantity: i32, available: i32, notice: Option<LineNotice>) -> CartLine {
        CartLine {
            product: ProductId::new(),
            slug: "kestrel".into(),
            name: "Kestrel".into(),
            image_url: String::new(),
            unit_price: Money::new(price, "USD"),
            quantity,
            available,
            notice,
        }
    }

    #[test]
    fn totals_count_only_what_checkout_can_buy() {
        let cart = CartView {
            groups: vec![
                CartGroup {
                    creator_name: "Kestrel Works".into(),
                    creator_slug: "kestrel-works".into(),
                    lines: vec![
                        line(129_900, 2, 10, None),
                        line(5_000, 3, 1, Some(LineNotice::OnlyLeft { available: 1 })),
                    ],
                },
                CartGroup {
                    creator_name: "Tern Labs".into(),
                    creator_slug: "tern-labs".into(),
                    lines: vec![line(10_000, 1, 0, Some(LineNotice::SoldOut))],
                },
            ],
        };
        assert_eq!(cart.groups[0].subtotal().minor, 2 * 129_900 + 5_000);
        assert_eq!(cart.groups[1].subtotal().minor, 0);
        assert_eq!(cart.total().minor, 264_800);
        assert_eq!(cart.count(), 6, "the header counts what the customer put in");
    }
}
