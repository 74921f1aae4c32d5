//! Typed ids: a `UserId` can never be passed where a `ProductId` is meant.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        #[cfg(feature = "server")]
        impl $name {
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        #[cfg(feature = "server")]
        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A registered account.
    UserId
);
id_type!(
    /// A domain event in the outbox.
    EventId
);
id_type!(
    /// A stored file (an upload that passed every check).
    FileId
);
id_type!(
    /// A chunked upload in progress.
    UploadId
);
id_type!(
    /// A creator: the selling side of an account.
    CreatorId
);
id_type!(
    /// One submission waiting for (or past) a reviewer's decision.
    ReviewItemId
);
id_type!(
    /// An in-app notification.
    NotificationId
);
id_type!(
    /// A product in the catalog.
    ProductId
);
id_type!(
    /// A creator's request to have a product certified.
    CertificationApplicationId
);
id_type!(
    /// A piece of work in a creator's portfolio.
    PortfolioItemId
);
id_type!(
    /// A shopping cart (a customer's, or an anonymous visitor's until they log in).
    CartId
);
id_type!(
    /// A saved shipping address.
    AddressId
);
id_type!(
    /// One checkout attempt: the saga from reservation to confirmation.
    CheckoutId
);
id_type!(
    /// What a customer bought in one checkout; split into a sub-order per creator.
    OrderGroupId
);
id_type!(
    /// One creator's part of an order group, fulfilled by that creator.
    SubOrderId
);
id_type!(
    /// A payment as recorded on our side (the provider has its own reference).
    PaymentId
);
id_type!(
    /// Money given back on a sub-order.
    RefundId
);
id_type!(
    /// A balanced set of ledger entries.
    LedgerTransactionId
);
id_type!(
    /// A creator's request to be paid out.
    PayoutId
);
id_type!(
    /// A customer's rating of a product they received or of the maker who sent it.
    RatingId
);
id_type!(
    /// A personal access token for the public API.
    ApiTokenId
);
id_type!(
    /// A receiver of outgoing webhooks.
    WebhookEndpointId
);
id_type!(
    /// One event sent to one webhook endpoint.
    WebhookDeliveryId
);
id_type!(
    /// One notice's delivery on one channel.
    NoticeDeliveryId
);
id_type!(
    /// A message from the platform to everyone holding a role.
    AnnouncementId
);
id_type!(
    /// One browser's or phone's subscription to push notices.
    PushSubscriptionId
);
