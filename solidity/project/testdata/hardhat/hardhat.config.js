module.exports = { solidity: "0.8.20", paths: { sources: "./contracts" } };
