// The machine has two cores and training tests use both: run tests one at a time.
[assembly: DoNotParallelize]
