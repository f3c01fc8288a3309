sensitivity --function ishigami --method morris --trajectories 4 --svg /dev/stdout --csv
