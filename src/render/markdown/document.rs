//! The Markdown document, within its size budget, written report by report:
//! each report's rows are rendered as it is checked and spooled with a
//! short summary kept in memory; the budget is spent at the end, when the
//! verdict is known and failing reports can come first.

use std::fmt::Write as _;
use std::io;

use super::{
    DEFAULT_BUDGET, NOTICE_RESERVE, cell, finding_row, open_details, plural, report_row, verdict,
};
use crate::engine::Run;
use crate::outcome::Outcome;
use crate::render::Streamed;
use crate::render::spool::Spool;

/// Spends a byte budget: a piece is taken whole or not at all.
struct Budget {
    left: usize,
}

impl Budget {
    fn take(&mut self, piece: &str) -> bool {
        if piece.len() <= self.left {
            self.left -= piece.len();
            true
        } else {
            false
        }
    }
}

const REPORTS_HEAD: &str = "| report | id | checklist | as of | score | earned / applicable | waived | errors | warnings | notes |\n|---|---|---|---|--:|--:|--:|--:|--:|--:|\n";
const FINDINGS_HEAD: &str =
    "| location | code | severity | item | message |\n|---|---|---|---|---|\n";

/// What is kept of a report: where its pieces are, and what ordering and
/// grouping need.
struct Entry {
    failing: bool,
    findings: usize,
    /// Its row of the reports table.
    row: usize,
    /// The head of its findings table, and whether that head opens a `<details>`.
    block_head: usize,
    opened: bool,
    /// Its first finding row; the others follow.
    first_finding: usize,
    /// Its checklist's group and its row of that group's points-per-domain table.
    group: Option<(usize, usize)>,
}

/// A checklist version's points-per-domain table: its label and its domains (id, title).
struct Group {
    label: String,
    domains: Vec<(String, String)>,
}

/// The Markdown document of a run, spooled report by report.
pub struct MarkdownWriter {
    budget: usize,
    spool: Spool,
    entries: Vec<Entry>,
    groups: Vec<Group>,
}

impl MarkdownWriter {
    /// A document of at most `budget` bytes, spooled to a temporary file.
    ///
    /// # Errors
    /// When no temporary file can be created.
    pub fn new(budget: usize) -> io::Result<Self> {
        Ok(Self::with(budget, Spool::new()?))
    }

    fn with(budget: usize, spool: Spool) -> Self {
        MarkdownWriter {
            budget,
            spool,
            entries: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// The group of a scored report's checklist, numbered when new.
    fn group_of(&mut self, o: &Outcome) -> Option<usize> {
        let (Some(c), Some(score)) = (&o.checklist, &o.score) else {
            return None;
        };
        let label = format!("{}@{}", c.id, c.version);
        if let Some(g) = self.groups.iter().position(|g| g.label == label) {
            return Some(g);
        }
        self.groups.push(Group {
            label,
            domains: score
                .domains
                .iter()
                .map(|(id, title, _)| (id.clone(), title.clone()))
                .collect(),
        });
        Some(self.groups.len() - 1)
    }
}

/// A report's row of its checklist's points-per-domain table.
fn domain_row(o: &Outcome, domains: &[(String, String)]) -> String {
    let mut row = format!("| {} |", cell(&o.path));
    for (id, _) in domains {
        let p = o
            .score
            .as_ref()
            .and_then(|s| s.domains.iter().find(|(d, _, _)| d == id))
            .map(|(_, _, p)| *p);
        let text = match p {
            Some(p) if p.applicable == 0 => "–".to_owned(),
            Some(p) if p.waived > 0 => {
                format!("{}/{} (+{})", p.earned, p.applicable, p.waived)
            }
            Some(p) => format!("{}/{}", p.earned, p.applicable),
            None => String::new(),
        };
        let _ = write!(row, " {text} |");
    }
    row.push('\n');
    row
}

impl Streamed for MarkdownWriter {
    fn push(&mut self, run: &Run, o: &Outcome) -> io::Result<()> {
        let row = self.spool.push(&report_row(o))?;
        let title = format!(
            "{} — {}",
            cell(&o.path),
            plural(o.findings.len(), "finding")
        );
        let mut head = String::new();
        let opened = open_details(&mut head, o.findings.len(), &title);
        if !opened {
            let _ = writeln!(head, "#### {title}\n");
        }
        head.push_str(FINDINGS_HEAD);
        let block_head = self.spool.push(&head)?;
        let first_finding = self.spool.len();
        for f in &o.findings {
            self.spool.push(&finding_row(run, o, f))?;
        }
        let group = match self.group_of(o) {
            Some(g) => Some((g, self.spool.push(&domain_row(o, &self.groups[g].domains))?)),
            None => None,
        };
        self.entries.push(Entry {
            failing: crate::render::report_fails(run, o),
            findings: o.findings.len(),
            row,
            block_head,
            opened,
            first_finding,
            group,
        });
        Ok(())
    }

    fn finish(mut self: Box<Self>, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        let text = self.document(run)?;
        out.write_all(text.as_bytes())
    }
}

impl MarkdownWriter {
    /// One report's findings table, as many rows as the budget allows; returns
    /// the block (empty when not even its head fits) and the rows left out.
    fn findings_block(&mut self, e: &Entry, budget: &mut Budget) -> io::Result<(String, usize)> {
        let head = self.spool.get(e.block_head)?;
        // The head, the closing and a "more" line must fit before any row.
        let closing = if e.opened { "\n</details>\n\n" } else { "\n" };
        if !budget.take(&head) || !budget.take(closing) || !budget.take(&" ".repeat(120)) {
            return Ok((String::new(), e.findings));
        }
        budget.left += 120;
        let mut block = head;
        let mut shown = 0;
        for i in 0..e.findings {
            let row = self.spool.get(e.first_finding + i)?;
            if !budget.take(&row) {
                break;
            }
            block.push_str(&row);
            shown += 1;
        }
        let left_out = e.findings - shown;
        if left_out > 0 {
            let more = format!(
                "\n… and {} of this report left out (size budget).\n",
                plural(left_out, "more finding")
            );
            budget.left = budget.left.saturating_sub(more.len());
            block.push_str(&more);
        }
        block.push_str(closing);
        Ok((block, left_out))
    }

    /// Per checklist: one row per listed report, one column per domain,
    /// `earned/applicable` in each cell.
    fn domains_tables(
        &mut self,
        listed: &[usize],
        budget: &mut Budget,
    ) -> io::Result<(String, usize)> {
        let mut out = String::new();
        let mut left_out = 0;
        // Groups in the order the listed reports first name them.
        let mut order: Vec<(usize, Vec<usize>)> = Vec::new();
        for &i in listed {
            let Some((g, row)) = self.entries[i].group else {
                continue;
            };
            match order.iter_mut().find(|(k, _)| *k == g) {
                Some((_, rows)) => rows.push(row),
                None => order.push((g, vec![row])),
            }
        }
        for (g, rows) in order {
            let group = &self.groups[g];
            let mut head = String::new();
            let _ = writeln!(head, "### Points per domain ({})\n", cell(&group.label));
            let names: Vec<String> = group
                .domains
                .iter()
                .map(|(id, title)| format!("{} {}", cell(id), cell(title)))
                .collect();
            let _ = writeln!(
                head,
                "Earned / applicable points (+ waived). {}.\n",
                names.join(", ")
            );
            let opened = open_details(&mut head, rows.len(), &plural(rows.len(), "report"));
            head.push_str("| report |");
            for (id, _) in &group.domains {
                let _ = write!(head, " {} |", cell(id));
            }
            head.push_str("\n|---|");
            head.push_str(&"--:|".repeat(group.domains.len()));
            head.push('\n');
            let closing = if opened { "\n</details>\n\n" } else { "\n" };
            if !budget.take(&head) || !budget.take(closing) {
                left_out += rows.len();
                continue;
            }
            out.push_str(&head);
            for r in rows {
                let row = self.spool.get(r)?;
                if budget.take(&row) {
                    out.push_str(&row);
                } else {
                    left_out += 1;
                }
            }
            out.push_str(closing);
        }
        Ok((out, left_out))
    }

    /// The whole document within the budget (the verdict is always written).
    fn document(&mut self, run: &Run) -> io::Result<String> {
        let mut out = String::new();
        verdict(run, &mut out);
        let mut budget = Budget {
            left: self.budget.saturating_sub(out.len() + NOTICE_RESERVE),
        };
        // Failing reports first, each group in input order.
        let entries = std::mem::take(&mut self.entries);
        let order: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].failing)
            .chain((0..entries.len()).filter(|&i| !entries[i].failing))
            .collect();
        let n_failing = entries.iter().filter(|e| e.failing).count();
        // 1. The rows of failing reports, then 2. their findings.
        let mut head = String::from("### Reports\n\n");
        let opened = open_details(&mut head, order.len(), &plural(order.len(), "report"));
        head.push_str(REPORTS_HEAD);
        let reports_closing = if opened { "\n</details>\n\n" } else { "\n" };
        let have_table = !order.is_empty() && budget.take(&head) && budget.take(reports_closing);
        let mut listed = vec![false; order.len()];
        let mut rows: Vec<Option<String>> = vec![None; order.len()];
        let mut blocks = Vec::new();
        let mut findings_left_out = 0;
        for (from, to) in [(0, n_failing), (n_failing, order.len())] {
            if have_table {
                for k in from..to {
                    let row = self.spool.get(entries[order[k]].row)?;
                    listed[k] = budget.take(&row);
                    rows[k] = listed[k].then_some(row);
                }
            }
            // 3. Passing reports, 4. their findings, on the second pass.
            for &i in &order[from..to] {
                if entries[i].findings > 0 {
                    let (block, left) = self.findings_block(&entries[i], &mut budget)?;
                    blocks.push(block);
                    findings_left_out += left;
                }
            }
        }
        let listed_entries: Vec<usize> = order
            .iter()
            .zip(&listed)
            .filter(|(_, l)| **l)
            .map(|(i, _)| *i)
            .collect();
        self.entries = entries;
        // 5. Points per domain of the listed reports.
        let (domains, domain_rows_left_out) = self.domains_tables(&listed_entries, &mut budget)?;
        let unlisted = listed.iter().filter(|l| !**l).count();
        if have_table {
            out.push_str(&head);
            for row in rows.iter().flatten() {
                out.push_str(row);
            }
            if unlisted > 0 {
                let failing_unlisted = listed[..n_failing].iter().filter(|l| !**l).count();
                let _ = writeln!(
                    out,
                    "\n… and {} not listed ({} failing, {} passing).",
                    plural(unlisted, "more report"),
                    failing_unlisted,
                    unlisted - failing_unlisted
                );
            }
            out.push_str(reports_closing);
        }
        out.push_str(&domains);
        out.push_str("### Findings\n\n");
        let total_findings: usize = self.entries.iter().map(|e| e.findings).sum();
        if total_findings == 0 {
            out.push_str("No findings.\n");
        }
        for b in blocks {
            out.push_str(&b);
        }
        if unlisted > 0 || findings_left_out > 0 || domain_rows_left_out > 0 {
            let _ = writeln!(
                out,
                "\n> **Shortened to stay within its size budget:** {} of {} listed, \
                 {} of {} shown. The JSON, SARIF and HTML outputs hold everything.",
                order.len() - unlisted,
                plural(order.len(), "report"),
                total_findings - findings_left_out,
                plural(total_findings, "finding"),
            );
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        Ok(out)
    }
}

/// The whole run as GitHub-flavoured Markdown within [`DEFAULT_BUDGET`] bytes.
#[must_use]
pub fn render(run: &Run) -> String {
    render_within(run, DEFAULT_BUDGET)
}

/// The whole run as GitHub-flavoured Markdown of at most `budget` bytes
/// (the verdict is always written, whatever the budget), ending in a newline.
#[must_use]
pub fn render_within(run: &Run, budget: usize) -> String {
    crate::render::render_kept(
        run,
        Box::new(MarkdownWriter::with(budget, Spool::in_memory())),
    )
}
