sensitivity --function sobol-g --second-order --base-samples 512 --replicates 4 --seed 7 --json
