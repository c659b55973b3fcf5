import "x/X.sol";
contract Main {}
