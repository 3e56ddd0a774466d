//! Deterministic test data: 50 vendors, 10,000 items, 1,000 customers and N marketplace order
//! lines. A tiny xorshift generator with a fixed seed keeps every run of the benchmark on the same
//! rows without a `rand` dependency.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub const VENDORS: u64 = 50;
pub const ITEMS: u64 = 10_000;
pub const CUSTOMERS: u64 = 1_000;
/// Order dates run from 2026-01-01 over this many days (to 2026-11-30).
const DAYS: u64 = 334;
const CHANNELS: [&str; 3] = ["amazon", "shopify", "ebay"];

/// xorshift64*: plenty for spreading test data, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi` (the modulo bias is irrelevant at these ranges).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

pub fn vendor_name(i: u64) -> String {
    format!("Vendor {i:02}")
}

pub fn sku(i: u64) -> String {
    format!("SKU-{i:05}")
}

pub fn customer_name(i: u64) -> String {
    format!("Customer {i:04}")
}

/// Lead time of vendor `i` in days (3..=14).
pub fn lead_time(i: u64) -> u64 {
    3 + i % 12
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    Ok(BufWriter::new(File::create(path).with_context(|| {
        format!("cannot create {}", path.display())
    })?))
}

/// `item import` CSV: every item has a preferred vendor, a sale rate and a lower purchase rate.
pub fn write_items(path: &Path) -> Result<()> {
    let mut rng = Rng::new(1);
    let mut w = create(path)?;
    writeln!(w, "sku,name,rate,purchase_rate,vendor")?;
    for i in 1..=ITEMS {
        let rate = rng.range(100, 50_000);
        let purchase = rate * rng.range(55, 85) / 100;
        let vendor = rng.range(1, VENDORS);
        writeln!(
            w,
            "{},Item {i:05},{}.{:02},{}.{:02},{}",
            sku(i),
            rate / 100,
            rate % 100,
            purchase / 100,
            purchase % 100,
            vendor_name(vendor)
        )?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// 2026-01-01 plus `day` days (2026 is not a leap year).
fn date(day: u64) -> String {
    const MONTHS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = day;
    let mut month = 1;
    for len in MONTHS {
        if d < len {
            break;
        }
        d -= len;
        month += 1;
    }
    format!("2026-{month:02}-{:02}", d + 1)
}

/// What `write_orders` produced.
pub struct Orders {
    pub orders: u64,
}

/// Marketplace CSV (`so import`): `lines` order lines in orders of 1–9 lines, chronological dates
/// over 2026-01-01..2026-11-30, 1,000 customers, quantities 1–5, distinct items within an order,
/// an empty rate (the item's rate applies).
pub fn write_orders(path: &Path, lines: u64) -> Result<Orders> {
    let mut rng = Rng::new(lines.wrapping_mul(31).wrapping_add(7));
    let mut w = create(path)?;
    writeln!(w, "channel,external_id,date,customer,sku,quantity,rate")?;
    let mut written = 0u64;
    let mut orders = 0u64;
    let mut skus: Vec<u64> = Vec::with_capacity(9);
    while written < lines {
        orders += 1;
        let count = rng.range(1, 9).min(lines - written);
        let channel = CHANNELS[(rng.next_u64() % 3) as usize];
        let customer = customer_name(rng.range(1, CUSTOMERS));
        let day = (written * DAYS / lines).min(DAYS - 1);
        let day = date(day);
        skus.clear();
        while (skus.len() as u64) < count {
            let s = rng.range(1, ITEMS);
            if !skus.contains(&s) {
                skus.push(s);
            }
        }
        for &s in &skus {
            writeln!(
                w,
                "{channel},ORD{orders:08},{day},{customer},{},{},",
                sku(s),
                rng.range(1, 5)
            )?;
        }
        written += count;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Orders { orders })
}
