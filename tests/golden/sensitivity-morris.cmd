sensitivity --function sobol-g --method morris --trajectories 10
