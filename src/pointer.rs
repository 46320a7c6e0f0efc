//! The JSON pointer (RFC 6901) of the node each finding stands at.
//!
//! Rules point at nodes by span, which is what people need (a line and a
//! column); a baseline needs a place that survives edits, which a line does
//! not. So after a report is checked, one walk of its tree names the node
//! whose span each finding carries, and the pointer rides along in the
//! finding (`pointer` in the JSON output). Doing it once here, rather than in
//! every rule, keeps the rules about spans only.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::load::{Node, Value};

/// One step of the path from the root to a node.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Sets `pointer` on every finding (that has none yet) whose span is the
/// span of a node, or of a mapping key, of `root`. When several nodes share
/// a span (a YAML alias copied into two places), the deepest wins, then the
/// first in document order, so the answer never depends on anything but the
/// file. A finding at a key gets the pointer of that key's value.
pub fn assign(root: &Node, findings: &mut [Finding]) {
    let mut wanted: HashMap<(usize, usize), Option<(usize, String)>> = HashMap::new();
    for f in findings.iter().filter(|f| f.pointer.is_none()) {
        // An empty span (the top of a file) names no node.
        if f.span.end > f.span.start {
            wanted.insert((f.span.start, f.span.end), None);
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut path = Vec::new();
    walk(root, &mut path, &mut wanted);
    for f in findings.iter_mut().filter(|f| f.pointer.is_none()) {
        if let Some(Some((_, p))) = wanted.get(&(f.span.start, f.span.end)) {
            f.pointer = Some(p.clone());
        }
    }
}

fn note(
    span: (usize, usize),
    path: &[Step<'_>],
    wanted: &mut HashMap<(usize, usize), Option<(usize, String)>>,
) {
    if let Some(slot) = wanted.get_mut(&span)
        && slot.as_ref().is_none_or(|(depth, _)| path.len() > *depth)
    {
        *slot = Some((path.len(), render(path)));
    }
}

fn walk<'a>(
    node: &'a Node,
    path: &mut Vec<Step<'a>>,
    wanted: &mut HashMap<(usize, usize), Option<(usize, String)>>,
) {
    note((node.span.start, node.span.end), path, wanted);
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, path, wanted);
                path.pop();
            }
        }
        Value::Map(entries) => {
            for e in entries {
                path.push(Step::Key(e.key.as_str().unwrap_or_default()));
                note((e.key.span.start, e.key.span.end), path, wanted);
                walk(&e.value, path, wanted);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `/a/0/b~1c`: `~` and `/` in keys escaped as RFC 6901 says.
fn render(path: &[Step<'_>]) -> String {
    let mut s = String::new();
    for step in path {
        s.push('/');
        match step {
            Step::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::load::{Limits, parse};

    fn pointers(text: &str, at: &[&str]) -> Vec<Option<String>> {
        let root = parse(text, &Limits::default()).unwrap();
        let mut findings: Vec<Finding> = at
            .iter()
            .map(|needle| {
                let start = text.find(needle).unwrap();
                let mut span = root.span;
                span.start = start;
                span.end = start + needle.len();
                Finding::new(Code::SchemaViolation, span, "x")
            })
            .collect();
        assign(&root, &mut findings);
        findings.into_iter().map(|f| f.pointer).collect()
    }

    #[test]
    fn values_keys_and_list_items_get_their_pointers() {
        let text = "a:\n  b/c: [1, 22]\n  d~e: x\nresults:\n  - item: I\n";
        let got = pointers(text, &["22", "d~e", "I", "results", "nowhere"][..4]);
        assert_eq!(
            got,
            [
                Some("/a/b~1c/1".to_owned()),
                Some("/a/d~0e".to_owned()),
                Some("/results/0/item".to_owned()),
                Some("/results".to_owned()),
            ]
        );
        // A span that is no node's gets no pointer.
        assert_eq!(pointers(text, &["b/c: ["]), [None]);
    }

    #[test]
    fn the_pointer_names_the_node_the_tree_resolves() {
        let text = "{\"x\": {\"y\": [true, {\"z\": null}]}}";
        let root = parse(text, &Limits::default()).unwrap();
        let got = pointers(text, &["null"]);
        let p = got[0].clone().unwrap();
        assert_eq!(p, "/x/y/1/z");
        assert_eq!(root.pointer(&p).map(|n| n.span.start), text.find("null"));
    }
}
