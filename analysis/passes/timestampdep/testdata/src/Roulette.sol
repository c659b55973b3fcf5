pragma solidity ^0.4.25;

contract Roulette {
    uint public pastBlockTime;
    address lastInvestor;
    uint lastInvestmentTimestamp;
    uint jackpot;

    function () public payable {
        require(msg.value == 10 ether);
        require(now != pastBlockTime); // want "strict comparison with block.timestamp"
        pastBlockTime = now;
        if (now % 15 == 0) { // want "block.timestamp modulo"
            msg.sender.transfer(this.balance);
        }
    }

    function resetInvestment() public {
        if (lastInvestmentTimestamp + 1 minutes >= block.timestamp) // want "block.timestamp decides a payout"
            lastInvestor.send(jackpot);
    }

    // Deadline checks: fine.
    function claim() public {
        require(now >= lastInvestmentTimestamp + 1 days);
        lastInvestor.transfer(jackpot);
    }
}
