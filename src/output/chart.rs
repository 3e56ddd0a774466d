//! Small horizontal bar charts in unicode blocks, for people who look rather than read (the aging
//! of open backorders, the spread of backorder days). Drawn only under tables on a terminal; CSV
//! and JSON never carry them.

use anyhow::Result;
use std::io::Write;

/// One chart: a title and labelled counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub title: String,
    pub bars: Vec<(String, i64)>,
}

/// Widest bar, in terminal cells.
const MAX_BAR: usize = 40;

/// Eighths of a cell, from one eighth to a full block.
const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A bar of `value` out of `max`, at most `width` cells, in eighths of a cell; any positive value
/// shows at least a sliver.
pub fn bar(value: i64, max: i64, width: usize) -> String {
    if value <= 0 || max <= 0 || width == 0 {
        return String::new();
    }
    let width = i128::try_from(width).unwrap_or(0);
    let eighths = (i128::from(value.min(max)) * width * 8 / i128::from(max)).max(1);
    let full = usize::try_from(eighths / 8).unwrap_or(0);
    let rest = usize::try_from(eighths % 8).unwrap_or(0);
    let mut s = EIGHTHS[7].to_string().repeat(full);
    if rest > 0 {
        s.push(EIGHTHS[rest - 1]);
    }
    s
}

/// Renders charts as text, fitting bars into `width` columns when known.
pub fn render(charts: &[Chart], width: Option<u16>) -> String {
    let mut out = String::new();
    for c in charts {
        let label_w = c
            .bars
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        let max = c.bars.iter().map(|(_, v)| *v).max().unwrap_or(0);
        let count_w = max.to_string().len();
        // a pseudo-terminal without a size reports 0 columns: draw full-length bars then
        let room = width.filter(|w| *w > 0).map_or(MAX_BAR, |w| {
            usize::from(w).saturating_sub(label_w + count_w + 4)
        });
        let bar_w = room.min(MAX_BAR);
        out.push('\n');
        out.push_str(&c.title);
        out.push('\n');
        for (label, v) in &c.bars {
            let b = bar(*v, max, bar_w);
            out.push_str(&format!(
                "  {label:<label_w$} {b}{}{v}\n",
                if b.is_empty() { "" } else { " " }
            ));
        }
    }
    out
}

pub fn write(w: &mut dyn Write, charts: &[Chart], width: Option<u16>) -> Result<()> {
    w.write_all(render(charts, width).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_in_eighths() {
        // (value, max, width, bar)
        let cases = [
            (0, 4, 8, ""),
            (4, 4, 8, "████████"),
            (2, 4, 8, "████"),
            (1, 16, 8, "▌"),
            (3, 16, 8, "█▌"),
            (1, 1000, 8, "▏"),
            (5, 4, 2, "██"),
            (-1, 4, 8, ""),
            (1, 0, 8, ""),
        ];
        for (v, max, w, want) in cases {
            assert_eq!(bar(v, max, w), want, "{v}/{max} in {w}");
        }
    }

    #[test]
    fn renders_labels_aligned_with_counts() {
        let c = Chart {
            title: "Open backorders by age (days)".into(),
            bars: vec![("0-7".into(), 2), ("61+".into(), 0), ("15-30".into(), 4)],
        };
        let text = render(&[c], Some(60));
        assert_eq!(
            text,
            "\nOpen backorders by age (days)\n  0-7   ████████████████████ 2\n  61+   0\n  15-30 ████████████████████████████████████████ 4\n"
        );
        // a narrow terminal gets shorter bars
        let narrow = render(
            &[Chart {
                title: "t".into(),
                bars: vec![("a".into(), 1)],
            }],
            Some(10),
        );
        assert_eq!(narrow, "\nt\n  a ████ 1\n");
        let sizeless = render(
            &[Chart {
                title: "t".into(),
                bars: vec![("a".into(), 1)],
            }],
            Some(0),
        );
        assert_eq!(sizeless, format!("\nt\n  a {} 1\n", "█".repeat(40)));
    }
}
