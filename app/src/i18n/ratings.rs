//! The words of customers' ratings and reviews: the forms on an order, the stars and
//! reviews the store shows, in both languages side by side so they stay in step.
//! The review console's words for them live in `portal`, the search's in `shop`.

use types::{catalog::group_thousands as thousands, ratings::RatingStatus};

pub struct RatingsTexts {
    // Stars and reviews in the store.
    pub out_of_five: fn(&str) -> String,
    pub review_count: fn(u32) -> String,
    pub star_count: fn(u8) -> String,
    pub reviews_title: &'static str,
    pub maker_reviews_title: &'static str,
    pub per_star: &'static str,
    pub no_product_reviews: &'static str,
    pub no_maker_reviews: &'static str,
    // Rating on an order.
    pub rate: fn(&str) -> String,
    pub your_stars: &'static str,
    pub your_review: &'static str,
    pub review_hint: &'static str,
    pub post_review: &'static str,
    pub your_rating_of: fn(&str) -> String,
    pub status_name: fn(RatingStatus) -> &'static str,
    pub status_note: fn(RatingStatus) -> &'static str,
    pub reviewer_note: &'static str,
    pub customer_review: &'static str,
    pub customer_shop_review: &'static str,
}

pub static EN: RatingsTexts = RatingsTexts {
    out_of_five: |value| format!("{value} out of 5 stars"),
    review_count: |n| match n {
        1 => "1 review".to_owned(),
        n => format!("{} reviews", thousands(u64::from(n))),
    },
    star_count: |n| if n == 1 { "1 star".to_owned() } else { format!("{n} stars") },
    reviews_title: "Reviews",
    maker_reviews_title: "What customers say",
    per_star: "Reviews per number of stars",
    no_product_reviews: "No reviews yet. Reviews come from customers who received this product.",
    no_maker_reviews: "No reviews yet. Reviews come from customers who received an order from this maker.",
    rate: |name| format!("Rate {name}"),
    your_stars: "Your rating",
    your_review: "Your review",
    review_hint: "What worked and what did not, for other buyers. A reviewer reads every review before it is published.",
    post_review: "Post review",
    your_rating_of: |name| format!("Your rating of {name}"),
    status_name: |s| match s {
        RatingStatus::Pending => "Awaiting moderation",
        RatingStatus::Approved => "Published",
        RatingStatus::Rejected => "Not published",
        RatingStatus::ChangesRequested => "Changes requested",
    },
    status_note: |s| match s {
        RatingStatus::Pending => "A reviewer reads it before it is published.",
        RatingStatus::Approved => "Shown in the store and counted in the average.",
        RatingStatus::Rejected => "A reviewer decided not to publish it.",
        RatingStatus::ChangesRequested => "Edit your review below and post it again: it goes back to the reviewer.",
    },
    reviewer_note: "The reviewer's note",
    customer_review: "The customer's review",
    customer_shop_review: "The customer's review of your shop",
};

pub static ZH: RatingsTexts = RatingsTexts {
    out_of_five: |value| format!("{value} 星（满分 5 星）"),
    review_count: |n| format!("{} 条评价", thousands(u64::from(n))),
    star_count: |n| format!("{n} 星"),
    reviews_title: "评价",
    maker_reviews_title: "顾客怎么说",
    per_star: "各星级的评价数",
    no_product_reviews: "还没有评价。评价来自已收到该商品的顾客。",
    no_maker_reviews: "还没有评价。评价来自收到过该创作者订单的顾客。",
    rate: |name| format!("评价 {name}"),
    your_stars: "您的评分",
    your_review: "您的评价",
    review_hint: "写下好用和不足之处，供其他买家参考。每条评价都会经审核员阅读后发布。",
    post_review: "发表评价",
    your_rating_of: |name| format!("您对 {name} 的评价"),
    status_name: |s| match s {
        RatingStatus::Pending => "等待审核",
        RatingStatus::Approved => "已发布",
        RatingStatus::Rejected => "未发布",
        RatingStatus::ChangesRequested => "需要修改",
    },
    status_note: |s| match s {
        RatingStatus::Pending => "审核员阅读后才会发布。",
        RatingStatus::Approved => "已在商店展示，并计入平均评分。",
        RatingStatus::Rejected => "审核员决定不予发布。",
        RatingStatus::ChangesRequested => "请在下方修改评价后重新发表，它会再次交给审核员。",
    },
    reviewer_note: "审核员说明",
    customer_review: "顾客的评价",
    customer_shop_review: "顾客对您店铺的评价",
};
