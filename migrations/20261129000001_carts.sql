-- Shopping carts. A signed-in customer has one cart (user_id set); an anonymous
-- visitor's cart is found through their session and merged into the account's at
-- login. Lines keep the price seen when they were last touched, so the cart can say
-- when a price changed since.

create table carts (
    id uuid primary key,
    user_id uuid references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint carts_user_key unique (user_id)
);

-- Anonymous carts nobody came back to are swept after a while.
create index carts_anonymous_idx on carts (updated_at) where user_id is null;

create table cart_items (
    cart_id uuid not null references carts (id) on delete cascade,
    product_id uuid not null references products (id) on delete cascade,
    quantity integer not null,
    seen_price_minor bigint not null,
    seen_currency text not null,
    added_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (cart_id, product_id),
    constraint cart_items_quantity_check check (quantity between 1 and 99)
);

create index cart_items_product_idx on cart_items (product_id);
