//! Orders as customers, creators and admins see them: an order group per checkout,
//! a sub-order per creator, each with its status and timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    catalog::Money,
    ids::{OrderGroupId, ProductId, SubOrderId},
};

/// Where one creator's part of an order stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SubOrderStatus {
    PendingPayment,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
    PartiallyRefunded,
}

impl SubOrderStatus {
    /// The moves the business allows; everything else is refused. Refunds are their
    /// own path (see [`SubOrderStatus::after_refund`]).
    pub fn can_become(self, next: SubOrderStatus) -> bool {
        use SubOrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid)
                | (PendingPayment, Cancelled)
                | (Paid, Shipped)
                | (Paid, Cancelled)
                | (Shipped, Delivered)
                | (PartiallyRefunded, Shipped)
                | (PartiallyRefunded, Delivered)
        )
    }

    /// Whether money was taken for it and may be given back.
    pub fn refundable(self) -> bool {
        use SubOrderStatus::*;
        matches!(self, Paid | Shipped | Delivered | PartiallyRefunded)
    }

    /// The customer may still cancel: paid, nothing shipped, nothing refunded yet.
    pub fn cancellable(self) -> bool {
        self == SubOrderStatus::Paid
    }

    /// The status once `refunded` of `paid` has been given back in all.
    pub fn after_refund(refunded: i64, paid: i64) -> SubOrderStatus {
        if refunded >= paid { SubOrderStatus::Refunded } else { SubOrderStatus::PartiallyRefunded }
    }
}

/// A shipping address as the order keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShipTo {
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166 alpha-2, upper case.
    pub country: String,
    pub phone: String,
}

impl ShipTo {
    /// The address as lines for a label.
    pub fn lines(&self) -> Vec<String> {
        let city = [self.postal_code.as_str(), self.city.as_str(), self.region.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [self.full_name.clone(), self.line1.clone(), self.line2.clone(), city, self.country.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product: ProductId,
    pub name: String,
    pub slug: String,
    pub quantity: i32,
    pub unit_price: Money,
    /// The customer's rating of this line, if they gave one.
    pub rating: Option<crate::ratings::OwnRating>,
}

impl OrderLine {
    pub fn total(&self) -> Money {
        Money::new(self.unit_price.minor * i64::from(self.quantity), self.unit_price.currency.clone())
    }
}

/// One change in a sub-order's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub status: SubOrderStatus,
    pub note: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubOrderView {
    pub id: SubOrderId,
    pub number: String,
    pub creator_name: String,
    pub creator_slug: String,
    pub status: SubOrderStatus,
    pub subtotal: Money,
    /// What the platform keeps; shown to the creator and admins, not the customer.
    pub commission: Option<Money>,
    pub refunded: Money,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub lines: Vec<OrderLine>,
    pub timeline: Vec<TimelineEntry>,
    /// The customer's rating of the maker for this sub-order, if they gave one.
    pub maker_rating: Option<crate::ratings::OwnRating>,
    /// Whether the reader may rate it: the customer, once it was delivered.
    pub can_rate: bool,
    /// Read by an admin: their own order or shop, which another admin refunds.
    pub own_case: bool,
}

/// An order group with its sub-orders: the customer's (and an admin's) view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: OrderGroupId,
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub customer_email: String,
    pub customer_name: String,
    pub total: Money,
    pub ship_to: ShipTo,
    pub payment: Option<PaymentSummary>,
    pub sub_orders: Vec<SubOrderView>,
    /// Paid through the payment sandbox: no real money moved.
    pub is_test: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSummary {
    pub card: String,
    pub status: String,
}

/// A row in an order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub total: Money,
    pub items: i64,
    /// Each sub-order's status, in the group's order.
    pub statuses: Vec<SubOrderStatus>,
    pub customer_email: String,
    pub is_test: bool,
}

/// A creator's row: their own sub-order only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorOrderSummary {
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub status: SubOrderStatus,
    pub subtotal: Money,
    pub items: i64,
    pub ship_to_name: String,
    pub is_test: bool,
}

/// A creator's sub-order with what they need to ship it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorOrderView {
    pub group_number: String,
    pub placed_at: DateTime<Utc>,
    pub ship_to: ShipTo,
    pub sub_order: SubOrderView,
    pub is_test: bool,
}

#[cfg(test)]
mod tests {
    use super::SubOrderStatus::*;

    #[test]
    fn a_sub_order_moves_forward_only_along_the_allowed_paths() {
        assert!(PendingPayment.can_become(Paid));
        assert!(Paid.can_become(Shipped));
        assert!(Shipped.can_become(Delivered));
        assert!(Paid.can_become(Cancelled));
        assert!(!Shipped.can_become(Cancelled), "shipped goods are refunded, not cancelled");
        assert!(!Delivered.can_become(Shipped));
        assert!(!Cancelled.can_become(Paid));
        assert!(!PendingPayment.can_become(Shipped), "nothing ships before it is paid");
        assert!(!Refunded.can_become(Shipped));
    }

    #[test]
    fn refunds_are_partial_until_everything_paid_came_back() {
        assert_eq!(super::SubOrderStatus::after_refund(500, 1000), PartiallyRefunded);
        assert_eq!(super::SubOrderStatus::after_refund(1000, 1000), Refunded);
        assert!(!Cancelled.refundable());
        assert!(PartiallyRefunded.refundable());
        assert!(Paid.cancellable() && !Shipped.cancellable());
    }
}
