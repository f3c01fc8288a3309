sensitivity --function rosenbrock
