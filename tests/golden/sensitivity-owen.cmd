sensitivity --function ishigami --sampling sobol-owen --base-samples 256 --replicates 3 --threads 3
