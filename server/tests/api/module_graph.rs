//! The shape of the code, checked: the top-level modules of `domain` and `app` depend
//! one way (no cycle, however long), and the app's three faces do not import one
//! another, so each can ship in its own bundle. Edges are the `crate::module` paths a
//! file names (in `use` lines and inline); `crate::Services`, `crate::Error` and the
//! other items the crate root re-exports are the crates' shared vocabulary, not edges.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn crate_src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without `//` comments (doc links name modules without depending on them).
fn without_comments(text: &str) -> String {
    text.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

fn ident_at(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules of the crate that `text` names: `crate::x…` anywhere, and
/// every first-level path of a `use crate::{…}` group.
fn modules_named(text: &str) -> BTreeSet<String> {
    let text = without_comments(text);
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        found.insert(ident_at(&group[i..]).to_owned());
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident_at(rest).to_owned());
        }
    }
    // Items re-exported at the root (types, functions: `Services`, `Result`) and `self`.
    found.retain(|m| m.starts_with(|c: char| c.is_ascii_lowercase()) && m != "self");
    found
}

/// Which top-level module uses which, for one crate's `src`.
fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let top = relative.iter().next().and_then(|p| p.to_str()).expect("a name").trim_end_matches(".rs");
        if matches!(top, "lib" | "main") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let uses = graph.entry(top.to_owned()).or_default();
        uses.extend(modules_named(&text).into_iter().filter(|m| m != top));
    }
    graph
}

/// A cycle, as the modules along it with the first repeated at the end.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &Graph, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn assert_acyclic(crate_name: &str) {
    let graph = graph(&crate_src(crate_name));
    assert!(graph.len() > 5, "{crate_name}: read too few modules ({graph:?})");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("{crate_name}: the modules {} depend on each other in a circle", cycle.join(" → "));
    }
}

#[test]
fn the_domain_modules_depend_one_way() {
    assert_acyclic("domain");
}

#[test]
fn the_app_modules_depend_one_way() {
    assert_acyclic("app");
}

/// The faces and the modules each is made of; everything else in `app` is shared and
/// imports no face. Only the root (`lib.rs` with its routes, `layout.rs` with the
/// header) puts faces together.
const FACES: [(&str, &[&str]); 3] = [
    ("storefront", &["storefront", "cart", "checkout", "orders", "account"]),
    ("creator portal", &["creator"]),
    ("admin console", &["admin"]),
];

fn face_of(module: &str) -> Option<&'static str> {
    FACES.iter().find(|(_, modules)| modules.contains(&module)).map(|(face, _)| *face)
}

#[test]
fn no_face_of_the_app_imports_another_and_shared_code_imports_none() {
    let crossings: Vec<String> = graph(&crate_src("app"))
        .iter()
        .filter(|(module, _)| module.as_str() != "layout")
        .flat_map(|(module, uses)| {
            let mine = face_of(module);
            uses.iter().filter_map(move |other| match face_of(other) {
                Some(theirs) if Some(theirs) != mine => {
                    Some(format!("{module} ({}) imports {other} ({theirs})", mine.unwrap_or("shared")))
                }
                _ => None,
            })
        })
        .collect();
    assert!(crossings.is_empty(), "faces cross:\n{}", crossings.join("\n"));
}

#[test]
fn the_reader_sees_grouped_inline_and_nested_paths_and_ignores_comments() {
    let text = "use crate::{\n    Error, Result,\n    catalog::{self, x::Y},\n    events::{EventType},\n};\n\
                // crate::review is only mentioned here\n\
                fn f() { crate::search::run(); }\n";
    let named: Vec<String> = modules_named(text).into_iter().collect();
    assert_eq!(named, ["catalog", "events", "search"]);
}

#[test]
fn a_cycle_of_any_length_is_found_and_printed_in_order() {
    let edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")];
    let mut graph = Graph::new();
    for (from, to) in edges {
        graph.entry(from.to_owned()).or_default().insert(to.to_owned());
    }
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    graph.get_mut("c").expect("c").remove("a");
    assert_eq!(find_cycle(&graph), None);
}
