pragma solidity ^0.4.9;

contract WalletLibrary {
    uint public m_required;
    uint public m_numOwners;
    uint public m_dailyLimit;
    uint[256] m_owners;
    mapping(uint => uint) m_ownerIndex;

    function initMultiowned(address[] _owners, uint _required) { // want "initMultiowned can be called by anyone"
        m_numOwners = _owners.length + 1;
        m_owners[1] = uint(msg.sender);
        m_ownerIndex[uint(msg.sender)] = 1;
        m_required = _required;
    }

    function initDaylimit(uint _limit) { // want "initDaylimit can be called by anyone"
        m_dailyLimit = _limit;
    }

    function initWallet(address[] _owners, uint _required, uint _daylimit) { // want "initWallet can be called by anyone"
        initDaylimit(_daylimit);
        initMultiowned(_owners, _required);
    }

    // Not an initializer name.
    function initiateTransfer(uint x) {
        m_dailyLimit = x;
    }
}

contract Guarded {
    address owner;

    function init(address o) public {
        require(owner == address(0));
        owner = o;
    }
}
