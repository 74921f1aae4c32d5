//! Integration tests: the real server and real PostgreSQL, a fresh database per test.

mod abandoned;
mod auth;
mod cart;
mod catalog;
mod certification;
mod checkout;
mod creators;
mod files;
mod four_eyes;
mod helpers;
mod module_graph;
mod order_pages;
mod orders;
mod outbox;
mod pages;
mod payouts;
mod portfolio;
mod products;
mod profile;
mod ratings;
mod roles;
mod security;
mod smtp;
mod stored_names;
mod traces;
mod transfer;
