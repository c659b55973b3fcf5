// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IAggregator {
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80);
    function latestAnswer() external view returns (int256);
}

contract Unchecked {
    IAggregator public feed;

    // Positive: neither answer nor updatedAt checked.
    function price() external view returns (uint256) {
        (, int256 answer,,,) = feed.latestRoundData(); // want "without checking answer > 0 and updatedAt staleness"
        return uint256(answer);
    }

    // Positive: answer checked, staleness not.
    function price2() external view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData(); // want "updatedAt staleness"
        require(answer > 0, "bad");
        updatedAt;
        return uint256(answer);
    }

    // Positive: deprecated latestAnswer.
    function price3() external view returns (uint256) {
        return uint256(feed.latestAnswer()); // want "latestAnswer\\(\\) is deprecated"
    }
}

contract Checked {
    IAggregator public feed;
    uint256 public constant HEARTBEAT = 1 hours;

    // Negative: both checked inline.
    function price() external view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        require(answer > 0, "bad answer");
        require(block.timestamp - updatedAt <= HEARTBEAT, "stale");
        return uint256(answer);
    }

    // Negative: checked through a derived local and a helper.
    function price2() external view returns (uint256) {
        int256 answer;
        uint256 updatedAt;
        (, answer,, updatedAt,) = feed.latestRoundData();
        uint256 age = block.timestamp - updatedAt;
        if (age > HEARTBEAT) revert();
        _validate(answer);
        return uint256(answer);
    }

    function _validate(int256 a) internal pure {
        require(a > 0, "bad");
    }
}
