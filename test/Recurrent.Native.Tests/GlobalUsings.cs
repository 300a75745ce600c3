global using System.Numerics;
global using Microsoft.VisualStudio.TestTools.UnitTesting;
