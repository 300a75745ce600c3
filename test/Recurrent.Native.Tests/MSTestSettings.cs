// Kernel tests switch the process-wide SIMD width, and the machine has two cores: run tests one at a time.
[assembly: DoNotParallelize]
