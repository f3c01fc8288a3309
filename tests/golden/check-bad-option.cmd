check --victm USA
