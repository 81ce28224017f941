from sim.cli import main

if __name__ == "__main__":  # worker processes started by spawn or forkserver import this file
    raise SystemExit(main())
