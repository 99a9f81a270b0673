from careguide.cli import main

main()
