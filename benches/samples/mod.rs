//! Timing samples shared by the benchmarks: per-operation times, their
//! median and 99th percentile, and same-run ratios.

use std::time::{Duration, Instant};

pub struct Samples {
    pub name: &'static str,
    pub times: Vec<Duration>,
}

impl Samples {
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            times: Vec::new(),
        }
    }

    pub fn run(&mut self, n: usize, mut op: impl FnMut()) {
        for _ in 0..n {
            let start = Instant::now();
            op();
            self.times.push(start.elapsed());
        }
    }

    pub fn median_p99(&mut self) -> (Duration, Duration) {
        self.times.sort_unstable();
        let at = |q: f64| self.times[((self.times.len() - 1) as f64 * q).round() as usize];
        (at(0.5), at(0.99))
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

pub fn report(rows: &mut [Samples], peers: &[(&str, &str)]) {
    println!(
        "{:<44} {:>7} {:>12} {:>12}",
        "operation", "n", "median µs", "p99 µs"
    );
    let mut medians = Vec::new();
    for row in rows.iter_mut() {
        let (median, p99) = row.median_p99();
        println!(
            "{:<44} {:>7} {:>12.1} {:>12.1}",
            row.name,
            row.times.len(),
            micros(median),
            micros(p99)
        );
        medians.push((row.name, median));
    }
    for (ours, theirs) in peers {
        let find = |name: &str| medians.iter().find(|(n, _)| *n == name).unwrap().1;
        println!(
            "ratio {ours} / {theirs}: {:.2}",
            find(ours).as_secs_f64() / find(theirs).as_secs_f64()
        );
    }
}
