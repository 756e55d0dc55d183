//! How does work on a stream of documents use every core and still hand the results on in the
//! order the documents came?
//!
//! [`ordered`] runs three kinds of thread: one producer (reading files, say), workers that each
//! turn an item into a result with their own scratch state (parsing, repairing, classifying), and
//! the calling thread, which receives the results strictly in input order (writing them to the
//! index). Items travel in chunks so the channels cost little per document, and the queues are
//! bounded so a fast reader never holds a whole file in memory.
//!
//! ```
//! let mut out = Vec::new();
//! let read = langnghe_pipeline::ordered(
//!     2,
//!     |feed| {
//!         for n in 0..1000u64 {
//!             if !feed.push(n) {
//!                 break;
//!             }
//!         }
//!         "read"
//!     },
//!     || 0u64,
//!     |seen, n| {
//!         *seen += 1;
//!         n * n
//!     },
//!     |square| -> Result<(), ()> {
//!         out.push(square);
//!         Ok(())
//!     },
//! );
//! assert_eq!(read, Ok("read"));
//! assert_eq!(out, (0..1000u64).map(|n| n * n).collect::<Vec<_>>());
//! ```
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

/// Items per chunk handed to a worker.
pub const CHUNK: usize = 32;

/// The producer's end: items pushed here reach the workers in chunks.
pub struct Feed<I> {
    tx: SyncSender<(u64, Vec<I>)>,
    chunk: Vec<I>,
    next: u64,
    open: bool,
}

impl<I> Feed<I> {
    /// Queues one item (waiting while the workers are behind). False once the consumer has
    /// stopped: the item was not taken, and the producer should stop too.
    pub fn push(&mut self, item: I) -> bool {
        if !self.open {
            return false;
        }
        self.chunk.push(item);
        if self.chunk.len() >= CHUNK {
            self.flush();
        }
        self.open
    }

    fn flush(&mut self) {
        if self.chunk.is_empty() || !self.open {
            return;
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        self.open = self.tx.send((self.next, chunk)).is_ok();
        self.next += 1;
    }
}

/// The workers to use on this machine: one per core.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `produce` on its own thread, `work` on `threads` worker threads (each with its own
/// state from `init`), and `sink` on the calling thread in the order `produce` pushed the items.
///
/// Returns what `produce` returned, or the first error of `sink`; after an error the workers and
/// the producer stop (the producer's [`Feed::push`] returns false) and no further item reaches
/// `sink`. A panic in any of the threads is carried to the caller.
pub fn ordered<I, O, S, R, E>(
    threads: usize,
    produce: impl FnOnce(&mut Feed<I>) -> R + Send,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, I) -> O + Sync,
    mut sink: impl FnMut(O) -> Result<(), E>,
) -> Result<R, E>
where
    I: Send,
    O: Send,
    R: Send,
{
    let threads = threads.max(1);
    let (tx, rx) = sync_channel::<(u64, Vec<I>)>(2 * threads);
    let (out_tx, out_rx) = sync_channel::<(u64, Vec<O>)>(2 * threads);
    let rx = Arc::new(Mutex::new(rx));
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            let mut feed = Feed {
                tx,
                chunk: Vec::with_capacity(CHUNK),
                next: 0,
                open: true,
            };
            let r = produce(&mut feed);
            feed.flush();
            r
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = Arc::clone(&rx);
                let out_tx = out_tx.clone();
                let (init, work) = (&init, &work);
                scope.spawn(move || worker(&rx, &out_tx, init(), work))
            })
            .collect();
        // The workers hold the only ends left: when they are all gone the producer's sends fail
        // and the sink's loop ends.
        drop((rx, out_tx));
        let result = drain(&out_rx, &mut sink);
        drop(out_rx);
        for w in workers {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        let produced = producer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        result.map(|()| produced)
    })
}

fn worker<I, O, S>(
    rx: &Mutex<Receiver<(u64, Vec<I>)>>,
    out: &SyncSender<(u64, Vec<O>)>,
    mut state: S,
    work: &impl Fn(&mut S, I) -> O,
) {
    loop {
        let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((seq, items)) = next else { return };
        let done = items.into_iter().map(|i| work(&mut state, i)).collect();
        if out.send((seq, done)).is_err() {
            return;
        }
    }
}

/// Hands results to `sink` in sequence order until every worker has finished.
fn drain<O, E>(
    out: &Receiver<(u64, Vec<O>)>,
    sink: &mut impl FnMut(O) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting: BTreeMap<u64, Vec<O>> = BTreeMap::new();
    let mut next = 0u64;
    for (seq, chunk) in out {
        waiting.insert(seq, chunk);
        while let Some(chunk) = waiting.remove(&next) {
            next += 1;
            for o in chunk {
                sink(o)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_arrive_in_input_order_even_when_early_items_are_slow() {
        let mut out = Vec::new();
        let n = ordered(
            3,
            |feed| (0..500u32).take_while(|&i| feed.push(i)).count(),
            || (),
            |(), i| {
                // The first chunks take longest, so later chunks finish first.
                if i < CHUNK as u32 {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                i.to_string()
            },
            |s| -> Result<(), ()> {
                out.push(s);
                Ok(())
            },
        );
        assert_eq!(n, Ok(500));
        let want: Vec<String> = (0..500u32).map(|i| i.to_string()).collect();
        assert_eq!(out, want);
    }

    #[test]
    fn each_worker_keeps_its_own_state() {
        // Each worker's state is made once and lives through every item it takes: the items
        // each worker has counted add up to all of them only if no state was made afresh or
        // shared.
        let made = AtomicUsize::new(0);
        let mut seen: Vec<usize> = vec![0; 3];
        ordered(
            3,
            |feed| {
                for i in 0..500u64 {
                    feed.push(i);
                }
            },
            || (made.fetch_add(1, Ordering::SeqCst), 0usize),
            |(worker, count), _| {
                *count += 1;
                (*worker, *count)
            },
            |(worker, count)| -> Result<(), ()> {
                seen[worker] = seen[worker].max(count);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(made.load(Ordering::SeqCst), 3);
        assert_eq!(seen.iter().sum::<usize>(), 500, "{seen:?}");
    }

    #[test]
    fn a_sink_error_stops_the_producer_and_nothing_after_it_is_sunk() {
        let mut sunk = Vec::new();
        let mut pushed = 0usize;
        let r = ordered(
            2,
            |feed| {
                // An endless source: only the sink's error can stop it.
                let mut i = 0u64;
                while feed.push(i) {
                    i += 1;
                }
                i
            },
            || (),
            |(), i| i,
            |i| {
                if i == 100 {
                    return Err(format!("cannot write item {i}"));
                }
                sunk.push(i);
                pushed += 1;
                Ok(())
            },
        );
        assert_eq!(r, Err("cannot write item 100".to_owned()));
        assert_eq!(sunk, (0..100).collect::<Vec<_>>());
    }

    #[test]
    #[should_panic(expected = "bad item 7")]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let _ = ordered(
            2,
            |feed| {
                for i in 0..100u32 {
                    feed.push(i);
                }
            },
            || (),
            |(), i| {
                assert!(i != 7, "bad item {i}");
                i
            },
            |_| -> Result<(), ()> { Ok(()) },
        );
    }

    #[test]
    #[should_panic(expected = "cannot read the file")]
    fn a_panic_in_the_producer_reaches_the_caller() {
        let mut sunk = 0;
        let _ = ordered(
            2,
            |feed| {
                for i in 0..100u32 {
                    feed.push(i);
                }
                panic!("cannot read the file");
            },
            || (),
            |(), i| i,
            |_| -> Result<(), ()> {
                sunk += 1;
                Ok(())
            },
        );
    }

    #[test]
    fn nothing_pushed_is_nothing_sunk() {
        let mut n = 0;
        let r = ordered(
            4,
            |_feed: &mut Feed<u8>| 'x',
            || (),
            |(), i| i,
            |_| -> Result<(), ()> {
                n += 1;
                Ok(())
            },
        );
        assert_eq!((r, n), (Ok('x'), 0));
    }

    proptest! {
        #[test]
        fn any_input_comes_out_whole_and_in_order(
            items in proptest::collection::vec(any::<i32>(), 0..300),
            threads in 1usize..5,
        ) {
            let mut out = Vec::new();
            let given = items.clone();
            ordered(
                threads,
                move |feed| {
                    for i in given {
                        feed.push(i);
                    }
                },
                || (),
                |(), i| i64::from(i) * 3,
                |o| -> Result<(), ()> {
                    out.push(o);
                    Ok(())
                },
            )
            .unwrap();
            let want: Vec<i64> = items.iter().map(|&i| i64::from(i) * 3).collect();
            prop_assert_eq!(out, want);
        }
    }
}
